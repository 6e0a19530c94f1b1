import { IsOptional } from 'class-validator';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'MarkLaunchedRequest' })
export class MarkLaunchedDto {
  @ApiPropertyOptional({ ...text(2000), description: 'A note' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
