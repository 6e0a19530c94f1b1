import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { DecideGoNoGoDto } from './decide-go-no-go.dto.js';
import { DecideGoNoGoCommand } from './decide-go-no-go.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class DecideGoNoGoController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('decision')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(DecideGoNoGoDto, { decision: 'go', note: 'Every department signed off' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Record the go/no-go decision; go is refused while a required task is open or blocked' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: DecideGoNoGoDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new DecideGoNoGoCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome);
  }
}
