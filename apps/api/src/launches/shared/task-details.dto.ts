import { ApiProperty, ApiSchema, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';
import type { TaskKind } from '#launch';
import { date, httpUrl, integer } from '../../http/openapi/schema-fields.js';

/** The evidence each task kind requires on completion (`libs/launch/src/task-kinds.ts` enforces it). */

const VERSION = { oneOf: [{ type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' }, { type: 'number' }], example: '2.1' };

@ApiSchema({ name: 'MessagingDetails', description: 'messaging → MessagingApproved' })
export class MessagingDetailsDto {
  @ApiProperty(httpUrl('The approved messaging document', 'https://docs.example.com/aurora/messaging'))
  documentUrl!: string;

  @ApiProperty(VERSION)
  version!: string | number;
}

@ApiSchema({ name: 'SalesTrainingDetails', description: 'sales-training → SalesTrained (repsTrained ≤ repsTotal)' })
export class SalesTrainingDetailsDto {
  @ApiProperty(date('The day of the session', '2027-02-15'))
  sessionDate!: string;

  @ApiProperty({ ...integer(1), example: 40 })
  repsTrained!: number;

  @ApiProperty({ ...integer(1), example: 42 })
  repsTotal!: number;
}

@ApiSchema({ name: 'PrDetails', description: 'pr → PrScheduled' })
export class PrDetailsDto {
  @ApiProperty({
    anyOf: [
      { type: 'string', format: 'date-time' },
      { type: 'string', format: 'date' },
    ],
    description: 'When the announcement goes out (an instant, or a date)',
    example: '2027-03-01T09:00:00Z',
  })
  announceAt!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' }, minItems: 1, maxItems: 100, example: ['TechCrunch'] })
  outlets!: string[];
}

@ApiSchema({ name: 'PricingDetails', description: 'pricing → PricingApproved' })
export class PricingDetailsDto {
  @ApiProperty({ type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217', example: 'USD' })
  currency!: string;

  @ApiProperty({ type: 'number', minimum: 0, maximum: 1e12, example: 49 })
  listPrice!: number;
}

@ApiSchema({ name: 'SupportTrainingDetails', description: 'support-training → SupportTrained' })
export class SupportTrainingDetailsDto {
  @ApiProperty(date('The day of the session', '2027-02-16'))
  sessionDate!: string;

  @ApiProperty({ ...integer(1), example: 12 })
  agentsTrained!: number;
}

@ApiSchema({ name: 'DocsDetails', description: 'docs → DocumentationPublished' })
export class DocsDetailsDto {
  @ApiProperty(httpUrl('Where the documentation is published'))
  url!: string;
}

@ApiSchema({ name: 'ReleaseDetails', description: 'release → ReleaseApproved' })
export class ReleaseDetailsDto {
  @ApiProperty(VERSION)
  version!: string | number;
}

@ApiSchema({ name: 'GenericDetails', description: 'generic → TaskCompleted: no details (absent, or an empty object)' })
export class GenericDetailsDto {}

export const DETAILS_BY_KIND: Record<TaskKind, Function> = {
  messaging: MessagingDetailsDto,
  'sales-training': SalesTrainingDetailsDto,
  pr: PrDetailsDto,
  pricing: PricingDetailsDto,
  'support-training': SupportTrainingDetailsDto,
  docs: DocsDetailsDto,
  release: ReleaseDetailsDto,
  generic: GenericDetailsDto,
};

export const DETAIL_MODELS = Object.values(DETAILS_BY_KIND);

/** `details` of a completion: the one its task's kind requires (the kinds' fields never overlap, so one matches). */
export const ANY_DETAILS: ApiPropertyOptions = {
  description: "Evidence the task's kind requires: messaging, sales-training, pr, pricing, support-training, docs, release; none for generic",
  oneOf: DETAIL_MODELS.map((model) => ({ $ref: getSchemaPath(model) })),
} as ApiPropertyOptions;
