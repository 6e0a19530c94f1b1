import { IsOptional } from 'class-validator';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'UnblockTaskRequest' })
export class UnblockTaskDto {
  @ApiPropertyOptional({ ...text(2000), description: 'How it was unblocked' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
