import { Body, Controller, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CastVoteDto } from './cast-vote.dto.js';
import { CastVoteCommand } from './cast-vote.handler.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class CastVoteController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('votes')
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(CastVoteDto, { vote: 'go', note: 'Sales is trained and ready' })
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: 'A department with required tasks votes go or no-go; the latest vote counts' })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: CastVoteDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new CastVoteCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome);
  }
}
