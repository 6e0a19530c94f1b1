import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { ConsistencyQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { GetDecisionRecordQuery } from './get-decision-record.query.js';
import { DecisionRecordDto } from '../shared/launch-views.dto.js';
import { ApiRead } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/decision-record')
export class GetDecisionRecordController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(DecisionRecordDto, { ids: ['launchId'] })
  @ApiOperation({ summary: 'Votes, blockers and the go/no-go decision of a launch' })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Query() query: ConsistencyQuery) {
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new GetDecisionRecordQuery(launchId));
  }
}
