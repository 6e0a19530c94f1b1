import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { PointInTimeQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { GetReadinessQuery } from './get-readiness.query.js';
import { ReadinessDto } from '../shared/launch-views.dto.js';
import { ApiRead } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('readiness')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/readiness')
export class GetReadinessController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(ReadinessDto, { ids: ['launchId'] })
  @ApiOperation({ summary: "Each department's readiness, now or as it was (asOf / atRevision)" })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Query() query: PointInTimeQuery) {
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new GetReadinessQuery(launchId, { asOf: query.asOf, atRevision: query.atRevision }));
  }
}
