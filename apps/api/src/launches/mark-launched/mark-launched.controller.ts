import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { MarkLaunchedDto } from './mark-launched.dto.js';
import { MarkLaunchedCommand } from './mark-launched.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class MarkLaunchedController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('launched')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(MarkLaunchedDto, { note: 'Live in every region' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'Mark a launch decided go as launched' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: MarkLaunchedDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new MarkLaunchedCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome);
  }
}
