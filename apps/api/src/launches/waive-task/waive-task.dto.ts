import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class WaiveTaskDto {
  @ApiProperty({ description: 'Why the task is not needed' })
  @IsText(2000)
  reason!: string;
}
