import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { TaskStatus } from '#launch';
import { InboxParams } from '../departments/departments.controller.js';
import { arrayOf } from '../http/openapi/api-contract.decorators.js';
import { ApiPagedRead, commaSeparated, nextPageLink } from '../http/paging/index.js';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { OwnerTaskItemDto } from './owner-task-item.dto.js';
import { OwnerTasksQuery } from './owner-tasks.query.js';

/** The inbox's `status`, `q`, `sort`, `limit` and `cursor`, for one owner. */
export class OwnerTasksParams extends InboxParams {
  @ApiProperty({ type: 'string', format: 'email', maxLength: 254, example: 'ada@example.com', description: "The owner's e-mail address (any case)" })
  @IsEmail()
  @MaxLength(254)
  owner!: string;
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/tasks')
export class TasksController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiPagedRead(arrayOf(OwnerTaskItemDto))
  @ApiOperation({ summary: "One person's tasks across launches and departments, earliest due first; with `limit`, one page at a time" })
  async list(@Query() query: OwnerTasksParams, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.readYourWrites.atLeast(query.minPosition);
    const filter = { statuses: commaSeparated(query.status) as TaskStatus[] | undefined, q: query.q };
    const page = await this.queryBus.execute(new OwnerTasksQuery(query.owner, filter, query.sort, { limit: query.limit, cursor: query.cursor }));
    if (page.next !== undefined) reply.header('Link', nextPageLink(reply.request.url, page.next));
    return page.items;
  }
}
