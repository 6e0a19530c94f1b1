import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import type { LaunchStatus, Tier } from '#launch';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { LAUNCH_SORTS, ListLaunchesQuery, type LaunchSort } from './list-launches.query.js';
import { LaunchSummaryDto } from '../shared/launch-views.dto.js';
import { arrayOf } from '../../http/openapi/api-contract.decorators.js';
import { answerPage, ApiPagedRead, CommaListOf, commaSeparated, PageParams, pageRequestOf, SearchText } from '../../http/paging/index.js';

const STATUSES: LaunchStatus[] = ['planning', 'go', 'no-go', 'launched', 'cancelled'];

export class ListLaunchesParams extends PageParams {
  @CommaListOf(STATUSES, 'Only launches in any of these statuses')
  status?: string;

  @ApiPropertyOptional({ type: 'integer', enum: [1, 2, 3] })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsIn([1, 2, 3])
  tier?: Tier;

  @SearchText('Only launches whose name or product contains this, ignoring case')
  q?: string;

  @ApiPropertyOptional({
    enum: LAUNCH_SORTS,
    description: '`targetDate` (soonest first, the default), `name`, `readiness` (least ready first: the share of required tasks signed off); `-` reverses',
  })
  @IsOptional()
  @IsIn(LAUNCH_SORTS)
  sort?: LaunchSort;
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
  @ApiPagedRead(arrayOf(LaunchSummaryDto))
  @ApiOperation({ summary: 'Launches with their overall readiness, soonest target date first; with `limit`, one page at a time' })
  async handle(@Query() query: ListLaunchesParams, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.readYourWrites.atLeast(query.minPosition);
    const filter = { statuses: commaSeparated(query.status) as LaunchStatus[] | undefined, tier: query.tier, q: query.q };
    return answerPage(reply, await this.queryBus.execute(new ListLaunchesQuery(filter, query.sort, pageRequestOf(query))));
  }
}
