import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * Schemas that stay open, and why: an event's stored metadata may carry more than the fields every
 * event has (its schemaVersion, the Idempotency-Key and request fingerprint of the command).
 */
const OPEN_SCHEMAS = new Set(['EventMetadata']);

type Schema = Record<string, unknown>;

function close(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Schema;
  const composed = ['allOf', 'oneOf', 'anyOf', '$ref'].some((key) => key in node);
  if (!composed && (node.type === 'object' || node.properties) && node.additionalProperties === undefined) {
    node.type = 'object';
    node.additionalProperties = false;
    node.properties ??= {};
  }
  for (const key of ['properties'] as const) {
    const properties = node[key];
    if (properties && typeof properties === 'object') Object.values(properties).forEach(close);
  }
  for (const key of ['items', 'additionalProperties'] as const) close(node[key]);
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach(close);
}

/** Every object schema refuses fields it does not list (`additionalProperties: false`), as the server does. */
export function closeObjectSchemas(document: OpenAPIObject): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (!OPEN_SCHEMAS.has(name)) close(schema);
  }
}
