import { IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class UnblockTaskDto {
  @ApiPropertyOptional({ description: 'How it was unblocked' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
