import { Body, Controller, HttpCode, Param, Patch, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { UpdateTaskDto } from './update-task.dto.js';
import { UpdateTaskCommand } from './update-task.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class UpdateTaskController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch('tasks/:taskId')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId', 'taskId'] })
  @ApiJsonBody(
    UpdateTaskDto,
    { dueDate: '2027-02-25', title: 'Train the sales team (EMEA)', owner: { name: 'Ada Lovelace', email: 'ada@example.com' } },
    { minProperties: 1, description: 'dueDate, title, owner, or several' },
  )
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Reschedule, rename, assign or unassign a task (launch managers)' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Param('taskId', UuidPipe) taskId: string,
    @Body() body: UpdateTaskDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new UpdateTaskCommand(launchId, taskId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome, { taskId });
  }
}
