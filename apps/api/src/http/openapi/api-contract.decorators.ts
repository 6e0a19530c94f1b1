import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiHeader, ApiParam, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { HeaderObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { FieldErrorDto, ProblemDto } from './problem.dto.js';

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429 | 503;

const WHEN: Record<ProblemStatus, string> = {
  400: 'Malformed JSON, failed validation, unknown fields, bad ids or dates in the path or query',
  401: 'Missing, unknown or revoked token',
  403: "The principal's role or department may not do this, or a single sign-on token's claims give no role or no known department",
  404: 'Unknown launch, task, principal or webhook',
  409: "The launch's state forbids it, or a concurrency conflict retries could not resolve",
  412: '`If-Match` names a revision that is not the current one; nothing was appended',
  413: 'The body is over the limit (`BODY_LIMIT`, default 64 KiB)',
  415: 'The body is not JSON',
  422: 'The `Idempotency-Key` was already used for a different request; nothing was appended',
  429: 'Rate limit exceeded; retry after `Retry-After` seconds',
  503: 'A store is unavailable, the views did not reach `minPosition` within 5 s, or another try of the same `Idempotency-Key` was still being decided after 20 s; retry after `Retry-After` seconds',
};

const RETRY_AFTER: HeaderObject = { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } };

/** Headers of an answer to a launch command. */
const ETAG: HeaderObject = {
  required: true,
  description: 'The launch stream\'s revision after the command, quoted: `"7"`',
  schema: { type: 'string', pattern: '^"\\d+"$' },
};
const REPLAYED: HeaderObject = {
  description: '`true` when this is the stored answer to a repeated `Idempotency-Key`',
  schema: { type: 'string', enum: ['true'] },
};
const LOCATION: HeaderObject = { required: true, description: 'Where the created resource is read', schema: { type: 'string', format: 'uri-reference' } };

/** The problem answers an operation can give, each as `application/problem+json`. */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto, FieldErrorDto),
    ...[...new Set(statuses)].map((status) =>
      ApiResponse({
        status,
        description: WHEN[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
        ...(status === 401 ? { headers: { 'WWW-Authenticate': { description: '`Bearer`', schema: { type: 'string' } } } } : {}),
      }),
    ),
  );
}

/** Path parameters that are UUIDs (anything else is 400 before a store is touched). */
export function ApiUuidParams(...names: string[]) {
  return applyDecorators(...names.map((name) => ApiParam({ name, required: true, schema: { type: 'string', format: 'uuid' } })));
}

/** A JSON request body of `type`, with an example, and a rule across its fields (`also`) where there is one. */
export function ApiJsonBody(type: Type<unknown>, example: Record<string, unknown>, also?: SchemaObject) {
  const schema: SchemaObject | ReferenceObject = also ? { allOf: [{ $ref: getSchemaPath(type) }, also] } : { $ref: getSchemaPath(type) };
  return applyDecorators(
    ApiExtraModels(type),
    ApiBody({ required: true, schema, examples: { example: { value: example } } }),
    ApiResponse({ status: 408, description: 'The request did not arrive within `REQUEST_TIMEOUT_MS`; the connection is closed (no body)' }),
  );
}

/** What an answer carries: a DTO class, `[Dto]` for an array of them, or a schema. */
export type AnswerType = Type<unknown> | [Type<unknown>] | SchemaObject;

const schemaOf = (type: AnswerType): SchemaObject | ReferenceObject =>
  typeof type === 'function' ? { $ref: getSchemaPath(type) } : Array.isArray(type) ? { type: 'array', items: { $ref: getSchemaPath(type[0]) } } : type;

const modelsOf = (type: AnswerType): Type<unknown>[] => (typeof type === 'function' ? [type] : Array.isArray(type) ? [type[0]] : []);

/** A JSON answer with its headers. */
export function ApiJsonAnswer(status: number, type: AnswerType, description: string, headers: Record<string, HeaderObject> = {}) {
  return applyDecorators(
    ApiExtraModels(...modelsOf(type)),
    ApiResponse({ status, description, content: { 'application/json': { schema: schemaOf(type) } }, ...(Object.keys(headers).length > 0 && { headers }) }),
  );
}

/** An array of `type`. */
export const arrayOf = (type: Type<unknown>): [Type<unknown>] => [type];

/** A read: its answer, and the problems any read can give (400, 401, 403, 429, 503; 404 with ids in the path). */
export function ApiRead(type: AnswerType, options: { ids?: string[]; etag?: boolean; extra?: ProblemStatus[] } = {}) {
  const ids = options.ids ?? [];
  return applyDecorators(
    ApiJsonAnswer(200, type, 'OK', options.etag ? { ETag: ETAG } : {}),
    ApiUuidParams(...ids),
    ApiProblems(400, 401, 403, ...(ids.length > 0 ? [404 as const] : []), 429, 503, ...(options.extra ?? [])),
  );
}

/**
 * A launch command: `If-Match` and `Idempotency-Key` in, `ETag` (and `Location` for a creation)
 * out, and every problem the command path can give.
 */
export function ApiLaunchCommand(answer: Type<unknown>, options: { created?: boolean; ids: string[] }) {
  const status = options.created ? 201 : 200;
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The revision the command expects, `"<revision>"` (an `ETag`); a mismatch is 412 and appends nothing',
      schema: { type: 'string', pattern: '^(W/)?"?\\d{1,15}"?$|^\\*$', example: '"3"' },
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A repeat with the same key (same principal) gets the first answer and appends nothing; the key with another request is 422',
      schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$', example: 'sales-ops-7f3a9c' },
    }),
    ApiHeader({
      name: 'X-Correlation-Id',
      required: false,
      description: "Recorded as the events' correlationId (otherwise a new one is made)",
      schema: { type: 'string', maxLength: 128, pattern: '^[\\w.:-]+$' },
    }),
    ApiJsonAnswer(status, answer, options.created ? 'Created' : 'OK', {
      ETag: ETAG,
      'Idempotent-Replayed': REPLAYED,
      ...(options.created && { Location: LOCATION }),
    }),
    ApiUuidParams(...options.ids),
    ApiProblems(400, 401, 403, ...(options.ids.length > 0 ? [404 as const] : []), 409, 412, 413, 415, 422, 429, 503),
  );
}

export { ETAG as ETAG_HEADER, LOCATION as LOCATION_HEADER };
