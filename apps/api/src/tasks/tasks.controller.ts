import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { inboxFilterOf, InboxParams } from '../departments/departments.controller.js';
import { arrayOf } from '../http/openapi/api-contract.decorators.js';
import { answerPage, ApiPagedRead, pageRequestOf } from '../http/paging/index.js';
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
    return answerPage(reply, await this.queryBus.execute(new OwnerTasksQuery(query.owner, inboxFilterOf(query), query.sort, pageRequestOf(query))));
  }
}
