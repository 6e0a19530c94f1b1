import { createHash } from 'node:crypto';
import { ValidationFailed } from '#launch';
import type { SortValue } from '#read-models';

/**
 * What a cursor belongs to: the list, its sort, and the filters (a digest of them). A cursor is only
 * accepted by the query it came from, so one from another list, sort or filter is a 400, not a page
 * of something else.
 */
export interface CursorScope {
  list: string;
  sort: string;
  /** Every filter of the query, in a fixed order (see `filterDigest`). */
  filters: Record<string, unknown>;
}

/** Longer than any cursor this API makes (a few sort values of at most a few hundred characters). */
const MAX_CURSOR_LENGTH = 2048;
const MAX_VALUE_LENGTH = 1000;

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 16);

/** The filters as one stable string: keys sorted, absent filters left out. */
export function filterDigest(filters: Record<string, unknown>): string {
  const present = Object.keys(filters)
    .filter((key) => filters[key] !== undefined)
    .sort()
    .map((key) => [key, filters[key]]);
  return digest(JSON.stringify(present));
}

interface CursorPayload {
  l: string;
  s: string;
  f: string;
  /** The sort key of the last item of the page: where the next page starts after. */
  k: SortValue[];
}

/**
 * An opaque cursor: base64url JSON of the scope and the sort key, then a checksum over it. The
 * checksum is not a secret (the key positions nothing but a keyset read): it makes a mangled or
 * edited cursor a 400 rather than a page starting somewhere unexpected.
 */
export function encodeCursor(scope: CursorScope, key: SortValue[]): string {
  const payload: CursorPayload = { l: scope.list, s: scope.sort, f: filterDigest(scope.filters), k: key };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${digest(body)}`;
}

const invalid = (reason: string): ValidationFailed =>
  new ValidationFailed(`invalid cursor: ${reason}`, [{ field: 'cursor', message: `${reason}; use the cursor of a Link header as it is` }]);

const isSortValue = (value: unknown): value is SortValue =>
  value === null || (typeof value === 'string' && value.length <= MAX_VALUE_LENGTH) || (typeof value === 'number' && Number.isFinite(value));

/** The sort key a cursor continues after; a ValidationFailed (400) unless it is intact and of this query. */
export function decodeCursor(cursor: string, scope: CursorScope, keyLength: number): SortValue[] {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid('not a cursor of this API');
  const [body, sum, ...rest] = cursor.split('.');
  if (!body || !sum || rest.length > 0 || digest(body) !== sum) throw invalid('not a cursor of this API, or altered');
  let payload: Partial<CursorPayload>;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw invalid('not a cursor of this API');
  }
  if (payload === null || typeof payload !== 'object' || !Array.isArray(payload.k)) throw invalid('not a cursor of this API');
  if (payload.l !== scope.list) throw invalid('it belongs to another list');
  if (payload.s !== scope.sort) throw invalid('it belongs to another sort order');
  if (payload.f !== filterDigest(scope.filters)) throw invalid('it belongs to other filters');
  if (payload.k.length !== keyLength || !payload.k.every(isSortValue)) throw invalid('not a cursor of this API');
  return payload.k;
}
