import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { instant, integer, uuid } from '../../http/openapi/schema-fields.js';
import { WEBHOOK_EVENT_TYPES } from './create-webhook.dto.js';

@ApiSchema({ name: 'WebhookError', description: 'The latest failed attempt' })
export class WebhookErrorDto {
  @ApiProperty({ type: 'string' })
  message!: string;

  @ApiPropertyOptional({ ...integer(100, undefined, 599) })
  httpStatus?: number;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty(uuid())
  eventId!: string;

  @ApiProperty(integer(1))
  attempt!: number;
}

@ApiSchema({ name: 'Webhook', description: 'A registered receiver; never its secret' })
export class WebhookDto {
  @ApiProperty(uuid())
  id!: string;

  @ApiProperty({ type: 'string', format: 'uri', maxLength: 2048 })
  url!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    nullable: true,
    description: 'null: every launch event; LedgerHeadSigned: the signed tree heads too; DepartmentDigest: the daily digests too',
  })
  events!: string[] | null;

  @ApiProperty(instant())
  createdAt!: string;

  @ApiProperty(integer(0, 'Global position of the last event handled (its checkpoint)'))
  position!: number;

  @ApiProperty({ type: 'boolean', enum: [true] })
  secretSet!: true;

  @ApiProperty({ enum: ['idle', 'delivering', 'retrying', 'stopped'], description: 'stopped: no instance delivers right now' })
  state!: string;

  @ApiPropertyOptional({ type: WebhookErrorDto })
  lastError?: WebhookErrorDto;

  @ApiPropertyOptional(instant('When the failed event is tried again'))
  nextAttemptAt?: string;
}

@ApiSchema({ name: 'WebhookReplay' })
export class WebhookReplayDto {
  @ApiProperty(uuid())
  id!: string;

  @ApiProperty(integer(0))
  fromPosition!: number;

  @ApiProperty(integer(0, 'The rewound checkpoint'))
  position!: number;
}

@ApiSchema({ name: 'DeliveryAttempt', description: 'One attempt to deliver one event' })
export class DeliveryAttemptDto {
  @ApiProperty(uuid())
  eventId!: string;

  @ApiProperty(integer(0))
  position!: number;

  @ApiProperty({ type: 'string', enum: [...WEBHOOK_EVENT_TYPES] })
  type!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    description:
      "The event's launch; null for a LedgerHeadSigned or DepartmentDigest delivery, which belongs to no launch (its position is 0: neither is an event of the log)",
  })
  launchId!: string | null;

  @ApiProperty(integer(1, '1, 2, … per event (again from 1 after a replay)'))
  attempt!: number;

  @ApiProperty({ enum: ['delivered', 'failed'] })
  status!: string;

  @ApiPropertyOptional({ ...integer(100, undefined, 599) })
  httpStatus?: number;

  @ApiPropertyOptional({ type: 'string' })
  error?: string;

  @ApiProperty(instant())
  at!: string;

  @ApiProperty(integer(0))
  durationMs!: number;
}
