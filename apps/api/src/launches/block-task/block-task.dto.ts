import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class BlockTaskDto {
  @ApiProperty({ description: 'Why the task is blocked' })
  @IsText(2000)
  reason!: string;
}
