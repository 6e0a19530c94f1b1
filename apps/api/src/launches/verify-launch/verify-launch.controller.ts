import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { VerifyLaunchQuery } from './verify-launch.query.js';
import { LaunchVerificationDto } from './launch-verification.dto.js';
import { ApiRead } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/verify')
export class VerifyLaunchController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiRead(LaunchVerificationDto, { ids: ['launchId'] })
  @ApiOperation({
    summary: "Recompute the launch's hash chain over its stored events",
    description:
      "Each hash is SHA-256 over prevHash, stream, revision, type and the canonical JSON of data and metadata (less hash and the ledger's mac). " +
      '`valid` is false when a stored event was changed, removed or reordered (`firstInvalidRevision` names the first such revision), ' +
      "or when an event carries no valid MAC by the server's ledger key (`firstUnauthenticatedRevision`).",
  })
  handle(@Param('launchId', UuidPipe) launchId: string) {
    return this.queryBus.execute(new VerifyLaunchQuery(launchId));
  }
}
