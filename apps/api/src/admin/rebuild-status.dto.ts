import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { instant, integer } from '../http/openapi/schema-fields.js';

@ApiSchema({ name: 'RebuildProgress', description: 'The rebuild in progress' })
export class RebuildProgressDto {
  @ApiProperty(integer(0))
  generation!: number;

  @ApiProperty(instant())
  startedAt!: string;

  @ApiProperty(integer(0, 'Global position the new generation has projected'))
  checkpoint!: number;

  @ApiProperty(integer(0, 'Head of the log when the rebuild started'))
  head!: number;
}

@ApiSchema({ name: 'RebuildDone' })
export class RebuildDoneDto {
  @ApiProperty(integer(0))
  generation!: number;

  @ApiProperty(instant())
  startedAt!: string;

  @ApiProperty(instant())
  finishedAt!: string;

  @ApiProperty(integer(0, 'The log position it had caught up with at the switch-over'))
  position!: number;
}

@ApiSchema({ name: 'RebuildError' })
export class RebuildErrorDto {
  @ApiProperty({ type: 'string' })
  message!: string;

  @ApiProperty(instant())
  at!: string;
}

@ApiSchema({ name: 'RebuildStatus', description: 'The read models: the generation readers use, and the rebuild in progress or last done' })
export class RebuildStatusDto {
  @ApiProperty({ enum: ['idle', 'rebuilding', 'failed'] })
  state!: string;

  @ApiProperty(integer(0, 'The read-model generation readers use'))
  generation!: number;

  @ApiPropertyOptional({ type: RebuildProgressDto })
  rebuilding?: RebuildProgressDto;

  @ApiPropertyOptional({ type: RebuildDoneDto })
  lastRebuild?: RebuildDoneDto;

  @ApiPropertyOptional({ type: RebuildErrorDto })
  lastError?: RebuildErrorDto;
}
