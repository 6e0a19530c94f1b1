import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { LAUNCH_EVENT_TYPES } from '#launch';
import { IsHttpUrl } from '../../http/validators.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/launch-control', maxLength: 2048, description: 'http or https' })
  @IsHttpUrl()
  url!: string;

  @ApiPropertyOptional({ enum: LAUNCH_EVENT_TYPES, isArray: true, description: 'Event types to deliver; absent: every launch event' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(LAUNCH_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(LAUNCH_EVENT_TYPES as unknown as string[], { each: true })
  events?: string[];

  @ApiProperty({ minLength: 16, maxLength: 256, writeOnly: true, description: 'Signs every delivery (HMAC-SHA256); never shown again' })
  @IsString()
  @Length(16, 256)
  secret!: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Deliver the stored events from this global position on; absent: only events appended from now on' })
  @IsOptional()
  @IsInt()
  @Min(0)
  fromPosition?: number;
}
