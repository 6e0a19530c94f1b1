import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { PointInTimeQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { GetLaunchQuery } from './get-launch.query.js';
import { LaunchDto } from '../shared/launch-views.dto.js';
import { ApiRead } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId')
export class GetLaunchController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(LaunchDto, { ids: ['launchId'], etag: true })
  @ApiOperation({ summary: 'A launch with its tasks and readiness, now or as it was (asOf / atRevision)' })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Query() query: PointInTimeQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.readYourWrites.atLeast(query.minPosition);
    const launch = await this.queryBus.execute(new GetLaunchQuery(launchId, { asOf: query.asOf, atRevision: query.atRevision }));
    reply.header('ETag', `"${launch.revision}"`);
    return launch;
  }
}
