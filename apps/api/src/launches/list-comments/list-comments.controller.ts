import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead, arrayOf } from '../../http/openapi/api-contract.decorators.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { ConsistencyQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { TaskCommentDto } from '../shared/task-comment.dto.js';
import { ListCommentsQuery } from './list-comments.query.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/tasks/:taskId/comments')
export class ListCommentsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(arrayOf(TaskCommentDto), { ids: ['launchId', 'taskId'] })
  @ApiOperation({ summary: 'The comments on a task, oldest first (everyone, auditors included)' })
  async list(@Param('launchId', UuidPipe) launchId: string, @Param('taskId', UuidPipe) taskId: string, @Query() query: ConsistencyQuery) {
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new ListCommentsQuery(launchId, taskId));
  }

  @Get(':commentId')
  @ApiRead(TaskCommentDto, { ids: ['launchId', 'taskId', 'commentId'] })
  @ApiOperation({ summary: 'One comment on a task' })
  async one(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Param('commentId', UuidPipe) commentId: string,
    @Query() query: ConsistencyQuery,
  ) {
    await this.readYourWrites.atLeast(query.minPosition);
    const [comment] = await this.queryBus.execute(new ListCommentsQuery(launchId, taskId, commentId));
    return comment;
  }
}
