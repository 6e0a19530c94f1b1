import { assertFieldName } from '../names.js';
import { assertScalar, checkMatchAndKeyset } from '../input-checks.js';
import { effectiveOrder, type FindQuery, type Scalar, type SortValue } from '../read-model-store.port.js';
import { fieldExpr, tableName, typeExpr } from './view-columns.js';

/**
 * A condition that `field` equals one of `values`, with JSON types compared strictly (1 ≠ true ≠ "1").
 * The value comes from the field's column when it has one (so its index answers), and `json_type` then
 * only checks the type of the rows the index found.
 */
function equalsAny(field: string, values: Scalar[], columns: ReadonlySet<string>, params: unknown[]): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const expr = fieldExpr(field, columns);
  const placeholders = (n: number): string => (n === 1 ? '= ?' : `IN (${Array(n).fill('?').join(', ')})`);
  const terms: string[] = [];
  if (field === 'id') {
    // The id column is always a string; other types never match it.
    if (strings.length > 0) {
      terms.push(`id ${placeholders(strings.length)}`);
      params.push(...strings);
    }
  } else {
    if (strings.length > 0) {
      terms.push(`(${expr} ${placeholders(strings.length)} AND ${typeExpr(field)} = 'text')`);
      params.push(...strings);
    }
    if (numbers.length > 0) {
      terms.push(`(${expr} ${placeholders(numbers.length)} AND ${typeExpr(field)} IN ('integer', 'real'))`);
      params.push(...numbers);
    }
    if (values.includes(true)) terms.push(`(${expr} = 1 AND ${typeExpr(field)} = 'true')`);
    if (values.includes(false)) terms.push(`(${expr} = 0 AND ${typeExpr(field)} = 'false')`);
    // Like MongoDB, null matches a null or a missing field.
    if (values.includes(null)) terms.push(`${expr} IS NULL`);
  }
  if (terms.length === 0) return '0';
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
}

/** Throws on a malformed query before anything is read. */
export function checkFind(query: FindQuery): void {
  for (const [field, condition] of Object.entries(query.where ?? {})) {
    assertFieldName(field);
    if (condition !== null && typeof condition === 'object') {
      const values = (condition as { in?: unknown }).in;
      if (!Array.isArray(values) || Object.keys(condition).length !== 1) {
        throw new TypeError(`find: the condition on ${field} must be a scalar or { in: [...] }`);
      }
      for (const value of values) assertScalar(field, value);
    } else {
      assertScalar(field, condition);
    }
  }
  for (const { field, direction = 'asc' } of query.orderBy ?? []) {
    assertFieldName(field);
    if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`find: bad direction ${String(direction)}`);
  }
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) {
    throw new TypeError(`find: limit must be a non-negative integer, got ${String(query.limit)}`);
  }
  checkMatchAndKeyset(query);
}

/** The SQL function `contains` folds case with (registered on each connection): JavaScript's, which SQLite's ASCII-only lower() is not. */
export const LOWER_FUNCTION = 'lc_lower';
export const lowerCase = (value: unknown): string | null => (typeof value === 'string' ? value.toLowerCase() : null);

function containsCondition({ fields, text }: NonNullable<FindQuery['contains']>, columns: ReadonlySet<string>, params: unknown[]): string {
  const folded = text.toLowerCase();
  const terms = fields.map((field) => {
    params.push(folded);
    return `instr(${LOWER_FUNCTION}(${fieldExpr(field, columns)}), ?) > 0`;
  });
  return `(${terms.join(' OR ')})`;
}

/**
 * Rows strictly after the sort key `after`: (k1 beyond v1) OR (k1 = v1 AND k2 beyond v2) OR …, where
 * NULL sorts first (SQLite's and MongoDB's order). A plain `k1 >= v1` in front lets an index on the
 * first key start at the cursor instead of at the beginning.
 */
function keysetCondition(query: FindQuery, after: SortValue[], columns: ReadonlySet<string>, params: unknown[]): string {
  const descending = (query.orderBy?.[0]?.direction ?? 'asc') === 'desc';
  // Descending first, the alternatives would each be an index search merged and sorted again (all
  // the rows before the cursor, documents included); with `+` (no index) the planner walks the
  // ORDER BY index backwards from the top and stops after `limit`.
  const order = effectiveOrder(query.orderBy).map(({ field, direction = 'asc' }) => ({
    expr: `${descending ? '+' : ''}${fieldExpr(field, columns)}`,
    direction,
  }));
  let lead = '';
  if (order[0]!.direction === 'asc' && after[0] !== null) {
    lead = `${order[0]!.expr} >= ? AND `;
    params.push(after[0]);
  }
  const alternatives: string[] = [];
  for (let i = 0; i < order.length; i++) {
    const { expr, direction } = order[i]!;
    const value = after[i]!;
    if (direction === 'desc' && value === null) continue; // nothing sorts after null, descending
    const terms: string[] = [];
    for (let j = 0; j < i; j++) {
      const previous = after[j]!;
      if (previous === null) terms.push(`${order[j]!.expr} IS NULL`);
      else {
        terms.push(`${order[j]!.expr} = ?`);
        params.push(previous);
      }
    }
    if (value === null) terms.push(`${expr} IS NOT NULL`);
    else if (direction === 'asc') {
      terms.push(`${expr} > ?`);
      params.push(value);
    } else {
      terms.push(`(${expr} < ? OR ${expr} IS NULL)`);
      params.push(value);
    }
    alternatives.push(`(${terms.join(' AND ')})`);
  }
  // Every key descending at null: nothing sorts after that.
  if (alternatives.length === 0) return '0';
  return `(${lead}(${alternatives.join(' OR ')}))`;
}

/** The SQL of a (checked) find over a collection whose table has `columns`. */
export function buildFind(collection: string, columns: ReadonlySet<string>, query: FindQuery, params: unknown[]): string {
  let sql = `SELECT doc FROM ${tableName(collection)}`;
  const conditions: string[] = [];
  for (const [field, condition] of Object.entries(query.where ?? {})) {
    const values = condition !== null && typeof condition === 'object' ? condition.in : [condition];
    conditions.push(equalsAny(field, values, columns, params));
  }
  if (query.contains !== undefined) conditions.push(containsCondition(query.contains, columns, params));
  if (query.after !== undefined) conditions.push(keysetCondition(query, query.after, columns, params));
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  const order: string[] = [];
  for (const { field, direction = 'asc' } of query.orderBy ?? []) {
    order.push(`${fieldExpr(field, columns)} ${direction.toUpperCase()}`);
  }
  // The id breaks ties, so the order (and what a limit keeps) is deterministic.
  if (!order.some((term) => term.startsWith('id '))) order.push('id ASC');
  sql += ` ORDER BY ${order.join(', ')}`;
  if (query.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(query.limit);
  }
  return sql;
}
