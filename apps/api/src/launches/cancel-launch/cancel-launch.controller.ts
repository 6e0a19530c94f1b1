import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CancelLaunchDto } from './cancel-launch.dto.js';
import { CancelLaunchCommand } from './cancel-launch.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class CancelLaunchController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('cancel')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(CancelLaunchDto, { reason: 'The product was folded into Aurora 2' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Cancel the launch; it accepts nothing afterwards' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: CancelLaunchDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new CancelLaunchCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome);
  }
}
