import { Body, Controller, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CreateLaunchDto } from './create-launch.dto.js';
import { CreateLaunchCommand } from './create-launch.handler.js';
import { ScheduleCommandAnswerDto } from '../shared/schedule-warnings.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches')
export class CreateLaunchController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiLaunchCommand(ScheduleCommandAnswerDto, { created: true, ids: [] })
  @ApiJsonBody(CreateLaunchDto, { name: 'Aurora GA', product: 'Aurora', targetDate: '2027-03-01', tier: 2, description: 'General availability of Aurora' })
  @HttpCode(201)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({
    summary: "Create a launch; its checklist comes from the tier's template",
    description: 'A target date before today (UTC) is 400 unless `backfill` is true. `warnings` names the tasks whose due date is already past.',
  })
  async handle(
    @Body() body: CreateLaunchDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new CreateLaunchCommand(body, commandContext(request, principal)));
    reply.header('Location', `/v1/launches/${outcome.launchId}`);
    return answerCommand(reply, outcome, { warnings: outcome.warnings });
  }
}
