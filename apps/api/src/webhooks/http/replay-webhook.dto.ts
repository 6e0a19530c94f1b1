import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

@ApiSchema({ name: 'ReplayWebhookRequest' })
export class ReplayWebhookDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Events with a global position at or after this are delivered again, in order' })
  @IsInt()
  @Min(0)
  fromPosition!: number;
}
