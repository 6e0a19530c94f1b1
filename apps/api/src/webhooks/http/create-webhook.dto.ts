import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { LAUNCH_EVENT_TYPES } from '#launch';
import { LEDGER_HEAD_SIGNED } from '#ledger';
import { DEPARTMENT_DIGEST } from '../../digests/department-digest-event.js';

/** What a webhook may ask for: launch events, the ledger's signed heads and the departments' daily digests (these two offered only to those that name them). */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [...LAUNCH_EVENT_TYPES, LEDGER_HEAD_SIGNED, DEPARTMENT_DIGEST];
import { IsHttpUrl } from '../../http/validators.js';
import { httpUrl, integer } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'CreateWebhookRequest' })
export class CreateWebhookDto {
  @ApiProperty(httpUrl('http or https', 'https://hooks.example.com/launch-control'))
  @IsHttpUrl()
  url!: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
    example: ['SalesTrained'],
    description:
      "Event types to deliver; absent: every launch event. LedgerHeadSigned (only when named): each newly signed tree head; DepartmentDigest (only when named): each department's daily digest",
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES as string[], { each: true })
  events?: string[];

  @ApiProperty({
    type: 'string',
    minLength: 16,
    maxLength: 256,
    writeOnly: true,
    example: 'a-long-shared-secret-0123456789',
    description: 'Signs every delivery (HMAC-SHA256); never shown again',
  })
  @IsString()
  @Length(16, 256)
  secret!: string;

  @ApiPropertyOptional({
    ...integer(0),
    example: 0,
    description: 'Deliver the stored events from this global position on; absent: only events appended from now on',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  fromPosition?: number;
}
