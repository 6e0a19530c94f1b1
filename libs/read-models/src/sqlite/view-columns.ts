/**
 * How a collection is laid out in SQLite: one table per collection, `view_<collection>` (the
 * document as JSON text, its position, and a column per indexed field), and the values of those
 * columns computed in JavaScript exactly as SQLite's json_extract would.
 */

/** The columns every collection's table starts with. */
export const BASE_COLUMNS = '(id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID';

export const tableName = (collection: string): string => `"view_${collection}"`;

/**
 * Every field named in a declared index has a column of its own, `"f:<field>"` (no declared type,
 * so no affinity converts what it holds), filled at each upsert with what `json_extract(doc, '$.<field>')`
 * would return (see `columnValue`), and the index is a plain index on those columns: SQLite never
 * parses a document to maintain an index. Fields are validated (`assertFieldName`), so quoting is safe.
 */
export const COLUMN_PREFIX = 'f:';
export const columnName = (field: string): string => `"${COLUMN_PREFIX}${field}"`;
/** The index on the columns of a declared field set (unquoted). */
export const indexName = (collection: string, set: string[]): string => `cx_${collection}:${set.join(',')}`;
/** The expression index earlier versions made for the same set, dropped once the columns exist. */
export const legacyIndexName = (collection: string, set: string[]): string => `ix_${collection}:${set.join(',')}`;

export const jsonExtract = (field: string): string => `json_extract(doc, '$.${field}')`;
/** The SQL expression of a (validated) field: `id`, its column when it has one, else json_extract. */
export const fieldExpr = (field: string, columns: ReadonlySet<string>): string =>
  field === 'id' ? 'id' : columns.has(field) ? columnName(field) : jsonExtract(field);
export const typeExpr = (field: string): string => `json_type(doc, '$.${field}')`;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A value as `JSON.stringify` serializes it in an object under `key` (undefined: left out). */
function toJsonValue(value: unknown, key: string): unknown {
  if (value !== null && typeof value === 'object') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
    if (value instanceof Number) return Number(value);
    if (value instanceof String) return String(value);
    if (value instanceof Boolean) return value.valueOf();
  }
  return value;
}

/**
 * What `json_extract(JSON.stringify(doc), '$.a.b')` returns, computed without serializing or parsing:
 * a string as TEXT, a number as INTEGER (bound as a bigint) when JSON writes it as an integer that
 * fits in 64 bits and as REAL otherwise, true/false as 1/0, null, a missing field, NaN or Infinity as
 * NULL, and an object or array as its JSON text.
 */
export function columnValue(doc: unknown, path: readonly string[]): string | number | bigint | null {
  let value: unknown = toJsonValue(doc, '');
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    if (!Object.prototype.propertyIsEnumerable.call(value, key)) return null;
    value = toJsonValue((value as Record<string, unknown>)[key], key);
  }
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 1n : 0n;
    case 'number':
      if (!Number.isFinite(value)) return null;
      if (Number.isSafeInteger(value)) return BigInt(value);
      if (Number.isInteger(value) && Math.abs(value) < 1e21) {
        // JSON writes it as an integer literal (the shortest digits that round-trip, as String does).
        const integer = BigInt(String(value));
        if (integer >= INT64_MIN && integer <= INT64_MAX) return integer;
      }
      return value;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return null; // undefined, functions and symbols are left out of the JSON
  }
}
