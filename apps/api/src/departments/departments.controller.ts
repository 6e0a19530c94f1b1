import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { DEPARTMENT_KEYS, DEPARTMENTS, isDepartment, NotFound, type TaskStatus } from '#launch';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { TASK_STATUSES } from '../launches/shared/task-views.dto.js';
import { answerPage, ApiPagedRead, CommaListOf, commaSeparated, PageParams, pageRequestOf, SearchText } from '../http/paging/index.js';
import { DepartmentInboxQuery, INBOX_SORTS, type InboxFilter, type InboxSort } from './department-inbox.query.js';
import { InboxItemDto } from './inbox-item.dto.js';
import { DepartmentDto } from '../catalog/catalog-views.dto.js';
import { ApiRead, arrayOf } from '../http/openapi/api-contract.decorators.js';

export class InboxParams extends PageParams {
  @CommaListOf(TASK_STATUSES, 'Only tasks in any of these statuses (`open,stale`: what is left to do)', 'open,stale')
  status?: string;

  @SearchText("Only tasks whose title or launch's name contains this, ignoring case")
  q?: string;

  @ApiPropertyOptional({
    enum: INBOX_SORTS,
    description: "`dueDate` (earliest first, the default), `targetDate` (the launch's), `name` (the launch's); `-` reverses",
  })
  @IsOptional()
  @IsIn(INBOX_SORTS)
  sort?: InboxSort;
}

/** The inbox's filter as its parameters give it. */
export const inboxFilterOf = (query: InboxParams): InboxFilter => ({ statuses: commaSeparated(query.status) as TaskStatus[] | undefined, q: query.q });

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
  @ApiPagedRead(arrayOf(InboxItemDto), { extra: [404] })
  @ApiParam({ name: 'department', enum: DEPARTMENT_KEYS, description: 'A department key (anything else is 404)' })
  @ApiOperation({ summary: "A department's tasks across launches, earliest due first; with `limit`, one page at a time" })
  async inbox(@Param('department') department: string, @Query() query: InboxParams, @Res({ passthrough: true }) reply: FastifyReply) {
    if (!isDepartment(department)) throw new NotFound(`no department ${JSON.stringify(department.slice(0, 64))}`);
    await this.readYourWrites.atLeast(query.minPosition);
    return answerPage(reply, await this.queryBus.execute(new DepartmentInboxQuery(department, inboxFilterOf(query), query.sort, pageRequestOf(query))));
  }
}
