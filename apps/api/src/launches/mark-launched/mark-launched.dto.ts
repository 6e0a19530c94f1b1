import { IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class MarkLaunchedDto {
  @ApiPropertyOptional({ description: 'A note' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
