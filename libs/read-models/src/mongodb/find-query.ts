import { assertScalar, checkMatchAndKeyset } from '../input-checks.js';
import type { Document, Filter } from 'mongodb';
import { assertFieldName } from '../names.js';
import { effectiveOrder, InvalidReadModelNameError, type FindQuery, type Scalar, type SortValue, type Where } from '../read-model-store.port.js';

export interface MongoFind {
  filter: Filter<Document>;
  /** Pairs, not an object: an object would reorder keys that look like integers. */
  sort: Array<[string, 1 | -1]>;
  /** Undefined: no limit. Never 0 (MongoDB reads 0 as "no limit"): a zero limit is `empty`. */
  limit?: number;
  /** True when the query can match nothing (`limit: 0`): the store answers [] without asking. */
  empty: boolean;
}

/** The stored path of a view field: `id` is `_id`; `_id` itself is reserved. */
export function fieldPath(field: string): string {
  assertFieldName(field);
  if (field === '_id' || field.startsWith('_id.')) throw new InvalidReadModelNameError('field', field);
  return field === 'id' ? '_id' : field;
}

/**
 * Equality as the port means it. MongoDB already compares types strictly (1, "1" and true differ)
 * and matches null against a missing field; but it also matches an array that contains the value,
 * which the port does not, so arrays are excluded.
 */
function equalsAny(values: Scalar[]): Document {
  const match = values.length === 1 ? { $eq: values[0] } : { $in: values };
  return { ...match, $not: { $type: 'array' } };
}

function toFilter(where: Where): Filter<Document> {
  const filter: Document = {};
  for (const [field, condition] of Object.entries(where)) {
    const path = fieldPath(field);
    if (condition !== null && typeof condition === 'object') {
      const values = (condition as { in?: unknown }).in;
      if (!Array.isArray(values) || Object.keys(condition).length !== 1) {
        throw new TypeError(`find: the condition on ${field} must be a scalar or { in: [...] }`);
      }
      for (const value of values) assertScalar(field, value);
      filter[path] = equalsAny(values as Scalar[]);
    } else {
      assertScalar(field, condition);
      filter[path] = equalsAny([condition]);
    }
  }
  return filter;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Any of the fields holds a string containing the text, ignoring case (PCRE's caseless UTF-8 matching). */
function containsFilter({ fields, text }: NonNullable<FindQuery['contains']>): Document {
  const pattern = escapeRegex(text);
  return { $or: fields.map((field) => ({ [fieldPath(field)]: { $regex: pattern, $options: 'i' } })) };
}

/**
 * Documents strictly after the sort key (see the SQLite adapter's keyset condition for the shape):
 * null and missing sort first, as MongoDB orders them. `$gt`/`$lt` compare within a type, so a
 * missing field is added explicitly where it sorts after the key (descending).
 */
function keysetFilter(query: FindQuery, after: SortValue[]): Document {
  const order = effectiveOrder(query.orderBy).map(({ field, direction = 'asc' }) => ({ path: fieldPath(field), direction }));
  const alternatives: Document[] = [];
  for (let i = 0; i < order.length; i++) {
    const { path, direction } = order[i]!;
    const value = after[i]!;
    if (direction === 'desc' && value === null) continue;
    const terms: Document[] = order.slice(0, i).map((previous, j) => ({ [previous.path]: after[j] === null ? null : { $eq: after[j] } }));
    if (value === null) terms.push({ [path]: { $ne: null } });
    else if (direction === 'asc') terms.push({ [path]: { $gt: value } });
    else terms.push({ $or: [{ [path]: { $lt: value } }, { [path]: null }] });
    alternatives.push(terms.length === 1 ? terms[0]! : { $and: terms });
  }
  if (alternatives.length === 0) return { _id: { $in: [] } };
  const any = { $or: alternatives };
  // A plain range on the first key lets its index start at the cursor.
  if (order[0]!.direction === 'asc' && after[0] !== null) return { $and: [{ [order[0]!.path]: { $gte: after[0] } }, any] };
  return any;
}

/** Translates a port query into a MongoDB filter, sort and limit, validating it as the port requires. */
export function toMongoFind(query: FindQuery = {}): MongoFind {
  checkMatchAndKeyset(query);
  const where = query.where ? toFilter(query.where) : {};
  const parts: Document[] = [];
  if (query.contains !== undefined) parts.push(containsFilter(query.contains));
  if (query.after !== undefined) parts.push(keysetFilter(query, query.after));
  const filter: Filter<Document> = parts.length === 0 ? where : { $and: [...(Object.keys(where).length > 0 ? [where] : []), ...parts] };
  const sort: Array<[string, 1 | -1]> = [];
  for (const { field, direction = 'asc' } of query.orderBy ?? []) {
    const path = fieldPath(field);
    if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`find: bad direction ${String(direction)}`);
    sort.push([path, direction === 'asc' ? 1 : -1]);
  }
  // The id breaks ties, so the order (and what a limit keeps) is deterministic.
  if (!sort.some(([path]) => path === '_id')) sort.push(['_id', 1]);
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) {
    throw new TypeError(`find: limit must be a non-negative integer, got ${String(query.limit)}`);
  }
  return { filter, sort, ...(query.limit !== undefined && query.limit > 0 && { limit: query.limit }), empty: query.limit === 0 };
}

/** The index keys of a declared field set; null when `_id` already answers it. */
export function indexKeys(fields: string[]): Array<[string, 1]> | null {
  const paths = fields.map(fieldPath);
  if (paths.length === 0 || (paths.length === 1 && paths[0] === '_id')) return null;
  return paths.map((path) => [path, 1]);
}
