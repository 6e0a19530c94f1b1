import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { ConsistencyQuery } from '../shared/read-queries.dto.js';
import { ExportHistoryQuery, GetHistoryQuery } from './get-history.query.js';
import { EXPORT_CONTENT_TYPES } from './history-export.js';
import { ApiHistoryAnswers } from './history-views.dto.js';

export const MAX_HISTORY_PAGE = 10_000;

const FORMATS = ['json', 'ndjson', 'csv'] as const;

export class HistoryParams extends ConsistencyQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_HISTORY_PAGE,
    description: 'json: page size (default 1000); ndjson/csv: no limit unless given',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_PAGE)
  limit?: number;

  @ApiPropertyOptional({
    enum: FORMATS,
    default: 'json',
    description:
      'ndjson: one history event per line; csv (RFC 4180) with columns revision, position, eventId, type, occurredAt, actorId, actorName, ' +
      'actorRole, actorDepartment, correlationId, causationId, data (JSON), metadata (JSON), hash, prevHash. Both stream the whole history as a download.',
  })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/history')
export class GetHistoryController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiHistoryAnswers()
  @ApiOperation({
    summary: "The launch's events as stored, oldest first: who did what, when, with what evidence; or the whole history as an ndjson/csv download",
  })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Query() query: HistoryParams) {
    const format = query.format ?? 'json';
    if (format === 'json') return this.queryBus.execute(new GetHistoryQuery(launchId, query.fromRevision ?? 0, query.limit ?? 1000));
    const stream = await this.queryBus.execute(new ExportHistoryQuery(launchId, format, query.fromRevision ?? 0, query.limit));
    return new StreamableFile(stream, {
      type: EXPORT_CONTENT_TYPES[format],
      disposition: `attachment; filename="launch-${launchId}-history.${format}"`,
    });
  }
}
