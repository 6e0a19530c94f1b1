import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ATTEMPTS_KEPT } from '../storage/sqlite-webhook-store.js';

export class DeliveriesQuery {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: ATTEMPTS_KEPT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ATTEMPTS_KEPT)
  limit?: number;
}
