import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { WaiveTaskDto } from './waive-task.dto.js';
import { WaiveTaskCommand } from './waive-task.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class WaiveTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('tasks/:taskId/waive')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId', 'taskId'] })
  @ApiJsonBody(WaiveTaskDto, { reason: 'No partner programme for this launch' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Waive a task (launch managers)' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: WaiveTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new WaiveTaskCommand(launchId, taskId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome, { taskId });
  }
}
