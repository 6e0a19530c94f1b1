import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEPARTMENTS, isDepartment, NotFound, type TaskStatus } from '#launch';
import { ConsistencyQuery } from '../launches/shared/read-queries.dto.js';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { DepartmentInboxQuery } from './department-inbox.query.js';

const TASK_STATUSES: TaskStatus[] = ['open', 'blocked', 'completed', 'waived', 'stale'];

export class InboxParams extends ConsistencyQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}

@ApiTags('departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class DepartmentsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The department catalog' })
  list() {
    return DEPARTMENTS.map(({ key, name }) => ({ key, name }));
  }

  @Get(':department/tasks')
  @ApiOperation({ summary: "A department's tasks across launches, earliest due first" })
  async inbox(@Param('department') department: string, @Query() query: InboxParams) {
    if (!isDepartment(department)) throw new NotFound(`no department ${JSON.stringify(department.slice(0, 64))}`);
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new DepartmentInboxQuery(department, query.status));
  }
}
