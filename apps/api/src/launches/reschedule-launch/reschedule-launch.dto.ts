import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'RescheduleLaunchRequest' })
export class RescheduleLaunchDto {
  @ApiProperty(date('New target date: today or later, unless `backfill`', '2027-04-01'))
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ ...text(2000), description: 'Why it moves' })
  @IsText(2000)
  reason!: string;

  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description: 'Allow a target date before today (UTC), to record a launch after the fact; without it such a date is 400',
  })
  @IsOptional()
  @IsBoolean()
  backfill?: boolean;
}
