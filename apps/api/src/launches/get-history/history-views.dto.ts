import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { ApiProblems, ApiUuidParams } from '../../http/openapi/api-contract.decorators.js';
import { LAUNCH_EVENT_TYPES } from '#launch';
import { instant, integer, uuid } from '../../http/openapi/schema-fields.js';
import { ActorDto } from '../shared/launch-views.dto.js';

@ApiSchema({
  name: 'EventMetadata',
  description: "An event's metadata as stored (less its hashes); further fields may be recorded (schemaVersion, the idempotency key's fingerprint)",
})
export class EventMetadataDto {
  @ApiProperty({ type: ActorDto })
  actor!: ActorDto;

  @ApiProperty(instant())
  occurredAt!: string;

  @ApiProperty({ type: 'string' })
  correlationId!: string;

  @ApiPropertyOptional({ type: 'string' })
  causationId?: string;
}

@ApiSchema({ name: 'HistoryEvent', description: 'An event exactly as stored (not upcast), with the hash chain' })
export class HistoryEventDto {
  @ApiProperty(integer(0))
  revision!: number;

  @ApiProperty(integer(0))
  position!: number;

  @ApiProperty(uuid())
  eventId!: string;

  @ApiProperty({ type: 'string', enum: [...LAUNCH_EVENT_TYPES] })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data, as its type defines it" })
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataDto })
  metadata!: EventMetadataDto;

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 over prevHash, stream, revision, type, data and metadata' })
  hash!: string;

  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$|^$', description: 'The previous event’s hash (a fixed genesis value for revision 0)' })
  prevHash!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    nullable: true,
    description: "The event's leaf in the ledger's Merkle tree; null until a signed head covers it (absent when the ledger is off)",
  })
  leafIndex?: number | null;
}

@ApiSchema({ name: 'HistoryPage' })
export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEventDto], description: 'Oldest first' })
  events!: HistoryEventDto[];
}

/** The history's three answers: a JSON page, or the whole history as an ndjson or csv download. */
export function ApiHistoryAnswers() {
  const download = { 'Content-Disposition': { description: '`attachment; filename="launch-<id>-history.<format>"`', schema: { type: 'string' } } };
  return applyDecorators(
    ApiExtraModels(HistoryPageDto, HistoryEventDto),
    ApiResponse({
      status: 200,
      description:
        '`format=json` (default): a page of events. `format=ndjson`: one HistoryEvent per line. `format=csv`: RFC 4180, a header row then one event per row',
      headers: download,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(HistoryPageDto) } },
        'application/x-ndjson': { schema: { type: 'string', description: 'One JSON HistoryEvent per line' } },
        'text/csv': {
          schema: {
            type: 'string',
            description:
              'revision, position, eventId, type, occurredAt, actorId, actorName, actorRole, actorDepartment, correlationId, causationId, data, metadata, hash, prevHash',
          },
        },
      },
    }),
    ApiUuidParams('launchId'),
    ApiProblems(400, 401, 403, 404, 429, 503),
  );
}
