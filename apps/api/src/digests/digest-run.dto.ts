import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { date, instant, integer } from '../http/openapi/schema-fields.js';

const RECIPIENT = {
  type: 'string',
  pattern: '^(department|owner):',
  example: 'department:legal',
  description: '`department:<key>` or `owner:<email>`',
} as const;

@ApiSchema({ name: 'DigestWebhookOutcome' })
export class DigestWebhookOutcomeDto {
  @ApiProperty(integer(0))
  delivered!: number;

  @ApiProperty(integer(0))
  failed!: number;
}

@ApiSchema({ name: 'SentDigest', description: 'A digest this run sent' })
export class SentDigestDto {
  @ApiProperty(RECIPIENT)
  recipient!: string;

  @ApiProperty({
    enum: ['sent', 'no address', 'no SMTP_URL', 'failed'],
    description: 'The e-mail: accepted by the SMTP server, no address set for the department, no SMTP_URL, or refused (not retried)',
  })
  email!: string;

  @ApiPropertyOptional({ type: DigestWebhookOutcomeDto, description: 'Department digests: the DepartmentDigest webhook deliveries' })
  webhooks?: DigestWebhookOutcomeDto;

  @ApiProperty(integer(1, 'Tasks listed'))
  items!: number;
}

@ApiSchema({ name: 'SkippedDigest', description: 'A digest of today this run did not send' })
export class SkippedDigestDto {
  @ApiProperty(RECIPIENT)
  recipient!: string;

  @ApiProperty({
    enum: ['already sent', 'being sent'],
    description: 'being sent: another run claimed it and has not finished; if that stays so, the run was killed mid-way and the digest is not sent again',
  })
  reason!: string;

  @ApiProperty(instant('When it was sent, or claimed'))
  at!: string;
}

@ApiSchema({ name: 'DigestRun', description: "What a run of today's digests did" })
export class DigestRunDto {
  @ApiProperty(date('Today in DIGEST_TIMEZONE'))
  date!: string;

  @ApiProperty({ type: [SentDigestDto] })
  sent!: SentDigestDto[];

  @ApiProperty({ type: [SkippedDigestDto] })
  skipped!: SkippedDigestDto[];
}
