import { IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsHttpUrl, IsPlainObject, IsText } from '../../http/validators.js';

export class CompleteTaskDto {
  @ApiPropertyOptional({ description: 'A note for the record' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  @ApiPropertyOptional({ description: 'Where the evidence is' })
  @IsOptional()
  @IsHttpUrl()
  evidenceUrl?: string;

  @ApiPropertyOptional({ description: 'Evidence required by the kind of the task (see API.md)', type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  details?: Record<string, unknown>;
}
