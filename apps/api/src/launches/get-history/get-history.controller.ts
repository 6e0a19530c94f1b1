import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { ConsistencyQuery } from '../shared/read-queries.dto.js';
import { GetHistoryQuery } from './get-history.query.js';

export const MAX_HISTORY_PAGE = 10_000;

export class HistoryParams extends ConsistencyQuery {
  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({ default: 1000, maximum: MAX_HISTORY_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;

  @ApiPropertyOptional({ enum: ['json'], default: 'json' })
  @IsOptional()
  @IsIn(['json'])
  format?: 'json';
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/history')
export class GetHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "The launch's events, oldest first: who did what, when, with what evidence" })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Query() query: HistoryParams) {
    return this.queryBus.execute(new GetHistoryQuery(launchId, query.fromRevision ?? 0, query.limit ?? 1000));
  }
}
