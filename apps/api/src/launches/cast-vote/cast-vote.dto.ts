import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEPARTMENT_KEYS, type Department } from '#launch';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'CastVoteRequest' })
export class CastVoteDto {
  @ApiProperty({ enum: ['go', 'no-go'] })
  @IsIn(['go', 'no-go'])
  vote!: 'go' | 'no-go';

  @ApiPropertyOptional({ ...text(2000), description: 'Why' })
  @IsOptional()
  @IsText(2000)
  note?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: 'Only for an admin voting on behalf of a department' })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS as string[])
  department?: Department;
}
