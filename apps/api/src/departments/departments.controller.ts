import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEPARTMENT_KEYS, DEPARTMENTS, isDepartment, NotFound, type TaskStatus } from '#launch';
import { ConsistencyQuery } from '../launches/shared/read-queries.dto.js';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { DepartmentInboxQuery } from './department-inbox.query.js';
import { InboxItemDto } from './inbox-item.dto.js';
import { DepartmentDto } from '../catalog/catalog-views.dto.js';
import { ApiRead, arrayOf } from '../http/openapi/api-contract.decorators.js';

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
  @ApiRead(arrayOf(DepartmentDto))
  @ApiOperation({ summary: 'The department catalog' })
  list() {
    return DEPARTMENTS.map(({ key, name }) => ({ key, name }));
  }

  @Get(':department/tasks')
  @ApiRead(arrayOf(InboxItemDto), { extra: [404] })
  @ApiParam({ name: 'department', enum: DEPARTMENT_KEYS, description: 'A department key (anything else is 404)' })
  @ApiOperation({ summary: "A department's tasks across launches, earliest due first" })
  async inbox(@Param('department') department: string, @Query() query: InboxParams) {
    if (!isDepartment(department)) throw new NotFound(`no department ${JSON.stringify(department.slice(0, 64))}`);
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new DepartmentInboxQuery(department, query.status));
  }
}
