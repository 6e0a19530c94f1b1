import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { RescheduleLaunchDto } from './reschedule-launch.dto.js';
import { RescheduleLaunchCommand } from './reschedule-launch.handler.js';
import { ScheduleCommandAnswerDto } from '../shared/schedule-warnings.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class RescheduleLaunchController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('reschedule')
  @ApiLaunchCommand(ScheduleCommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(RescheduleLaunchDto, { targetDate: '2027-04-01', reason: 'The release slipped a sprint' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: 'Move the target date of the launch; open tasks move with it',
    description: 'A target date before today (UTC) is 400 unless `backfill` is true. `warnings` names the tasks whose due date is then already past.',
  })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: RescheduleLaunchDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new RescheduleLaunchCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome, { warnings: outcome.warnings });
  }
}
