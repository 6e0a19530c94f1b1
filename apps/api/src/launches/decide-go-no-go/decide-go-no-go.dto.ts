import { IsIn, IsOptional } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'DecideGoNoGoRequest' })
export class DecideGoNoGoDto {
  @ApiProperty({ description: 'go or no-go', enum: ['go', 'no-go'] })
  @IsIn(['go', 'no-go'])
  decision!: 'go' | 'no-go';

  @ApiPropertyOptional({ ...text(2000), description: 'Context for the decision' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
