import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import type { LaunchStatus, Tier } from '#launch';
import { ConsistencyQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { ListLaunchesQuery } from './list-launches.query.js';
import { LaunchSummaryDto } from '../shared/launch-views.dto.js';
import { ApiRead, arrayOf } from '../../http/openapi/api-contract.decorators.js';

const STATUSES: LaunchStatus[] = ['planning', 'go', 'no-go', 'launched', 'cancelled'];

export class ListLaunchesParams extends ConsistencyQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: LaunchStatus;

  @ApiPropertyOptional({ type: 'integer', enum: [1, 2, 3] })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsIn([1, 2, 3])
  tier?: Tier;
}

@ApiTags('launches')
@ApiBearerAuth()
@Controller('v1/launches')
export class ListLaunchesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(arrayOf(LaunchSummaryDto))
  @ApiOperation({ summary: 'Launches with their overall readiness, soonest target date first' })
  async handle(@Query() query: ListLaunchesParams) {
    await this.readYourWrites.atLeast(query.minPosition);
    return this.queryBus.execute(new ListLaunchesQuery({ status: query.status, tier: query.tier }));
  }
}
