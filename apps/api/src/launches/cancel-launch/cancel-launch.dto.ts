import { ApiProperty } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';

export class CancelLaunchDto {
  @ApiProperty({ description: 'Why the launch is cancelled' })
  @IsText(2000)
  reason!: string;
}
