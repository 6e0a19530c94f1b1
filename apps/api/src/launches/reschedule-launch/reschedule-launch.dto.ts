import { ApiProperty } from '@nestjs/swagger';
import { IsIsoDate, IsText } from '../../http/validators.js';

export class RescheduleLaunchDto {
  @ApiProperty({ description: 'New target date YYYY-MM-DD' })
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ description: 'Why it moves' })
  @IsText(2000)
  reason!: string;
}
