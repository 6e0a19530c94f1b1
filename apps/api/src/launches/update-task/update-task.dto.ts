import { IsOptional } from 'class-validator';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'UpdateTaskRequest' })
export class UpdateTaskDto {
  @ApiPropertyOptional(date('New due date', '2027-02-25'))
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({ ...text(200), description: 'New title' })
  @IsOptional()
  @IsText(200)
  title?: string;
}
