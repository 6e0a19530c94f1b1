import { IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIsoDate, IsText } from '../../http/validators.js';

export class UpdateTaskDto {
  @ApiPropertyOptional({ description: 'New due date YYYY-MM-DD' })
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({ description: 'New title' })
  @IsOptional()
  @IsText(200)
  title?: string;
}
