import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class ReopenTaskDto {
  @ApiProperty({ description: 'Why the sign-off no longer stands' })
  @IsText(2000)
  reason!: string;
}
