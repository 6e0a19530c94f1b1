import { IsOptional } from 'class-validator';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsHttpUrl, IsPlainObject, IsText } from '../../http/validators.js';
import { httpUrl, text } from '../../http/openapi/schema-fields.js';
import { ANY_DETAILS } from '../shared/task-details.dto.js';

@ApiSchema({ name: 'CompleteTaskRequest' })
export class CompleteTaskDto {
  @ApiPropertyOptional({ ...text(2000), description: 'A note for the record' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  @ApiPropertyOptional(httpUrl('Where the evidence is'))
  @IsOptional()
  @IsHttpUrl()
  evidenceUrl?: string;

  @ApiPropertyOptional(ANY_DETAILS)
  @IsOptional()
  @IsPlainObject()
  details?: Record<string, unknown>;
}
