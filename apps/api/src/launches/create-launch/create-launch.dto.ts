import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import type { Tier } from '#launch';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';
import { BackfillField } from '../shared/backfill-field.js';

@ApiSchema({ name: 'CreateLaunchRequest' })
export class CreateLaunchDto {
  @ApiProperty(text(200, 'Aurora GA'))
  @IsText(200)
  name!: string;

  @ApiProperty(text(200, 'Aurora'))
  @IsText(200)
  product!: string;

  @ApiProperty(date('The launch day: today or later, unless `backfill`'))
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ type: 'integer', enum: [1, 2, 3], example: 2, description: "Selects the tier's template checklist" })
  @IsInt()
  @IsIn([1, 2, 3])
  tier!: Tier;

  @ApiPropertyOptional(text(4000, 'General availability of Aurora'))
  @IsOptional()
  @IsText(4000)
  description?: string;

  @BackfillField()
  backfill?: boolean;
}
