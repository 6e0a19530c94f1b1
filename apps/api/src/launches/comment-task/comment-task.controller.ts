import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CommentAnswerDto } from '../shared/task-comment.dto.js';
import { CommentTaskDto } from './comment-task.dto.js';
import { CommentTaskCommand } from './comment-task.handler.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/tasks/:taskId/comments')
export class CommentTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiLaunchCommand(CommentAnswerDto, { created: true, ids: ['launchId', 'taskId'] })
  @ApiJsonBody(CommentTaskDto, { text: 'Booked the EMEA session for Tuesday.' })
  @HttpCode(201)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Comment on a task (everyone who reads the launch but auditors; also on launched and cancelled launches)' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: CommentTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new CommentTaskCommand(launchId, taskId, body.text, commandContext(request, principal)));
    const commented = outcome.events.find((e) => e.type === 'TaskCommented');
    if (commented?.type !== 'TaskCommented') throw new Error('a comment command recorded no TaskCommented event');
    const { commentId, text, at } = commented.data;
    reply.header('Location', `/v1/launches/${launchId}/tasks/${taskId}/comments/${commentId}`);
    // A repeated Idempotency-Key is scoped to its principal, so the author is the caller either way.
    const author = { id: principal.id, name: principal.name, role: principal.role };
    return answerCommand(reply, outcome, { taskId, commentId, text, author, at });
  }
}
