import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { ValidationFailed } from '#launch';
import { IsIsoInstant } from '../../http/validators.js';
import type { PointInTime } from './launch-history.reader.js';

export class ConsistencyQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Wait (up to 5 s) until the views have processed this global position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

/** A point in time is an instant or a revision: given both, which one was meant is unknowable. */
const NotWithAsOf = () =>
  ValidateBy({
    name: 'notWithAsOf',
    validator: {
      validate: (_value: unknown, args) => (args?.object as PointInTimeQuery | undefined)?.asOf === undefined,
      defaultMessage: () => 'cannot be given together with asOf: give asOf or atRevision, not both',
    },
  });

export class PointInTimeQuery extends ConsistencyQuery {
  @ApiPropertyOptional({
    type: 'string',
    format: 'date-time',
    description: 'Answer as the launch was at this instant (ISO-8601, with its zone); not with atRevision',
  })
  @IsOptional()
  @IsIsoInstant()
  asOf?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'Answer as the launch was at this stream revision; not with asOf',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @NotWithAsOf()
  atRevision?: number;
}

/** The same rule for callers that do not come through the DTO: one point in time, or none. */
export function onePointInTime(point: PointInTime): PointInTime {
  if (point.asOf !== undefined && point.atRevision !== undefined) {
    throw new ValidationFailed('asOf and atRevision cannot be given together: give one or the other', [
      { field: 'atRevision', message: 'cannot be given together with asOf: give asOf or atRevision, not both' },
    ]);
  }
  return point;
}
