import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsIsoInstant } from '../../http/validators.js';

export class ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Wait (up to 5 s) until the views have processed this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class PointInTimeQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ description: 'Answer as the launch was at this instant (ISO-8601)' })
  @IsOptional()
  @IsIsoInstant()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Answer as the launch was at this stream revision' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  atRevision?: number;
}
