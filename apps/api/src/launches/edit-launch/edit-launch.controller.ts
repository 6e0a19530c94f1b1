import { Body, Controller, HttpCode, Param, Patch, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { IdempotencyInterceptor } from '../../http/idempotency.interceptor.js';
import { ApiJsonBody, ApiLaunchCommand } from '../../http/openapi/api-contract.decorators.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { answerCommand, commandContext } from '../shared/command-request.js';
import { CommandAnswerDto } from '../shared/launch-views.dto.js';
import { EditLaunchDto } from './edit-launch.dto.js';
import { EditLaunchCommand } from './edit-launch.handler.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class EditLaunchController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch()
  @ApiLaunchCommand(CommandAnswerDto, { ids: ['launchId'] })
  @ApiJsonBody(
    EditLaunchDto,
    { name: 'Aurora 2 GA', description: 'General availability of Aurora 2' },
    { minProperties: 1, description: 'name, product, description, or several' },
  )
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  @ApiOperation({ summary: "Edit a launch's name, product or description (launch managers; not once launched or cancelled)" })
  async handle(
    @Param('launchId', UuidPipe) launchId: string,
    @Body() body: EditLaunchDto,
    @Req() request: FastifyRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.commandBus.execute(new EditLaunchCommand(launchId, body, commandContext(request, principal)));
    return answerCommand(reply, outcome);
  }
}
