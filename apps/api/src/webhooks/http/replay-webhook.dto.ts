import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

export class ReplayWebhookDto {
  @ApiProperty({ minimum: 0, example: 0, description: 'Events with a global position at or after this are delivered again, in order' })
  @IsInt()
  @Min(0)
  fromPosition!: number;
}
