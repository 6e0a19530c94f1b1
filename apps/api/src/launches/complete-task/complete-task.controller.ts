import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CompleteTaskDto } from './complete-task.dto.js';
import { CompleteTaskCommand } from './complete-task.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class CompleteTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('tasks/:taskId/complete')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId', 'taskId'] })
  @ApiJsonBody(CompleteTaskDto, {
    note: 'All reps but two attended',
    evidenceUrl: 'https://lms.example.com/sessions/4711',
    details: { sessionDate: '2027-02-15', repsTrained: 40, repsTotal: 42 },
  })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Complete a task, recording the event named for its kind with its evidence' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: CompleteTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new CompleteTaskCommand(launchId, taskId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome, { taskId });
  }
}
