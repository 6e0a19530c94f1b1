import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional } from 'class-validator';
import type { Tier } from '#launch';
import { IsIsoDate, IsText } from '../../http/validators.js';

export class CreateLaunchDto {
  @ApiProperty({ example: 'Aurora GA' })
  @IsText(200)
  name!: string;

  @ApiProperty({ example: 'Aurora' })
  @IsText(200)
  product!: string;

  @ApiProperty({ example: '2027-03-01', description: 'YYYY-MM-DD' })
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ enum: [1, 2, 3], description: "Selects the tier's template checklist" })
  @IsInt()
  @IsIn([1, 2, 3])
  tier!: Tier;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText(4000)
  description?: string;
}
