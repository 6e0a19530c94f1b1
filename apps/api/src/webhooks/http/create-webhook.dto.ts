import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { LAUNCH_EVENT_TYPES } from '#launch';
import { LEDGER_HEAD_SIGNED } from '#ledger';

/** What a webhook may ask for: launch events, and the ledger's signed heads (offered only to those that name it). */
const WEBHOOK_EVENT_TYPES: readonly string[] = [...LAUNCH_EVENT_TYPES, LEDGER_HEAD_SIGNED];
import { IsHttpUrl } from '../../http/validators.js';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/launch-control', maxLength: 2048, description: 'http or https' })
  @IsHttpUrl()
  url!: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true, description: 'Event types to deliver; absent: every launch event. LedgerHeadSigned (only when named): each newly signed tree head' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES as string[], { each: true })
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
