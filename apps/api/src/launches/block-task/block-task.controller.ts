import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { BlockTaskDto } from './block-task.dto.js';
import { BlockTaskCommand } from './block-task.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class BlockTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('tasks/:taskId/block')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId', 'taskId'] })
  @ApiJsonBody(BlockTaskDto, { reason: 'Waiting for the legal review of the deck' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Block a task' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: BlockTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new BlockTaskCommand(launchId, taskId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome, { taskId });
  }
}
