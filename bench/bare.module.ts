import { Body, Controller, HttpCode, Module, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../apps/api/src/auth/auth.decorators.js';
import type { Principal } from '../apps/api/src/auth/principal.js';
import { IdempotencyInterceptor } from '../apps/api/src/http/idempotency.interceptor.js';
import { UuidPipe } from '../apps/api/src/http/uuid.pipe.js';
import { CompleteTaskDto } from '../apps/api/src/launches/complete-task/complete-task.dto.js';
import { answerCommand, commandContext } from '../apps/api/src/launches/shared/command-request.js';

/**
 * The benchmark's baseline: the task-completion route exactly as the product declares it (same
 * global auth guard, same UuidPipe on the ids, same DTO through the global ValidationPipe, same
 * idempotency interceptor, same command context and ETag), minus the command: it reads, decides
 * and appends nothing. Loaded only by bench/server.ts, never by the product.
 */
@Controller('bench/bare/launches/:launchId')
export class BareCompleteTaskController {
  private position = 0;

  @Post('tasks/:taskId/complete')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: CompleteTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    commandContext(request, principal);
    void body;
    this.position += 1;
    return answerCommand(reply, { launchId, revision: 0, position: this.position, events: [], replayed: false }, { taskId });
  }
}

@Module({ controllers: [BareCompleteTaskController] })
export class BenchBareModule {}
