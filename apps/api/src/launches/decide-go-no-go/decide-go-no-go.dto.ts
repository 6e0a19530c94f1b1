import { IsIn, IsOptional } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class DecideGoNoGoDto {
  @ApiProperty({ description: 'go or no-go', enum: ['go', 'no-go'] })
  @IsIn(['go', 'no-go'])
  decision!: 'go' | 'no-go';

  @ApiPropertyOptional({ description: 'Context for the decision' })
  @IsOptional()
  @IsText(2000)
  note?: string;
}
