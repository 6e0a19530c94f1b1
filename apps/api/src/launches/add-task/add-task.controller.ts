import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { AddTaskDto } from './add-task.dto.js';
import { AddTaskCommand } from './add-task.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/tasks')
export class AddTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiLaunchCommand(CommandAnswerDto, { created: true, ids: ['launchId'] })
  @ApiJsonBody(AddTaskDto, { title: 'Partner briefing', department: 'sales', kind: 'generic', required: true, dueDate: '2027-02-20' })
  @HttpCode(201)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Add a task to the checklist (launch managers)' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: AddTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new AddTaskCommand(launchId, body, commandContext(request, principal)));
    const added = outcome.events.find((e) => e.type === 'TaskAdded');
    const taskId = added?.type === 'TaskAdded' ? added.data.taskId : undefined;
    if (taskId) reply.header('Location', `/v1/launches/${launchId}/tasks/${taskId}`);
    return answerCommand(reply, outcome, { taskId });
  }
}
