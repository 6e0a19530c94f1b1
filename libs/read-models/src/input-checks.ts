import { assertCollectionName, assertFieldName } from './names.js';
import { effectiveOrder, type FindQuery, type ProjectionBatch, type Scalar } from './read-model-store.port.js';

/** Checks what every adapter receives before it touches storage, so bad input fails alike everywhere. */
export function validateBatch(batch: ProjectionBatch): void {
  if (typeof batch.projection !== 'string' || batch.projection.length === 0) {
    throw new TypeError('commit: projection must be a non-empty string');
  }
  if (!Number.isSafeInteger(batch.position) || batch.position < 0) {
    throw new TypeError(`commit: position must be a non-negative integer, got ${String(batch.position)}`);
  }
  for (const change of batch.changes) {
    assertCollectionName(change.collection);
    if (change.kind === 'put') {
      const { doc } = change;
      if (doc === null || typeof doc !== 'object' || typeof doc.id !== 'string') {
        throw new TypeError(`commit: a document of ${change.collection} has no string id`);
      }
      if (typeof doc.position !== 'number' || !Number.isFinite(doc.position)) {
        throw new TypeError(`commit: document ${change.collection}/${doc.id} has no numeric position`);
      }
    } else if (change.kind === 'delete') {
      if (typeof change.id !== 'string') throw new TypeError(`commit: a delete in ${change.collection} has no id`);
    } else {
      throw new TypeError(`commit: unknown change kind ${String((change as { kind?: unknown }).kind)}`);
    }
  }
}

export function assertScalar(field: string, value: unknown): asserts value is Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new TypeError(`find: unsupported value for ${field}: ${String(value)}`);
}

/** Checks the `contains` and `after` parts of a find; shared by adapters, so they fail alike. */
export function checkMatchAndKeyset(query: FindQuery): void {
  if (query.contains !== undefined) {
    const { fields, text } = query.contains ?? {};
    if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('find: contains needs at least one field');
    for (const field of fields) assertFieldName(field);
    if (typeof text !== 'string') throw new TypeError('find: contains needs a string text');
  }
  if (query.after !== undefined) {
    const keys = effectiveOrder(query.orderBy).length;
    if (!Array.isArray(query.after) || query.after.length !== keys) {
      throw new TypeError(`find: after must be the sort key, ${keys} value(s) (one per orderBy field, then the id)`);
    }
    for (const value of query.after) {
      if (value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) continue;
      throw new TypeError(`find: a value of after must be a string, a finite number or null, got ${String(value)}`);
    }
  }
}
