import { effectiveOrder, sortKeyOf, type FindQuery, type ReadModelStore, type ViewDocument } from '#read-models';
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.js';

export interface PageRequest {
  /** Undefined: the whole list, as one answer. */
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; undefined on the last one. */
  next?: string;
}

/**
 * One page of a keyset-ordered find: the documents after the cursor's sort key, `limit` of them, and
 * the cursor after the last one when more follow (one extra document is read to know). Keyset, not
 * offset: a document created or removed meanwhile never shifts a later page.
 */
export async function findPage<T extends ViewDocument>(
  store: ReadModelStore,
  collection: string,
  query: FindQuery,
  request: PageRequest,
  scope: CursorScope,
): Promise<Page<T>> {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor, scope, effectiveOrder(query.orderBy).length);
  if (request.limit === undefined) return { items: await store.find<T>(collection, { ...query, ...(after && { after }) }) };
  const found = await store.find<T>(collection, { ...query, ...(after && { after }), limit: request.limit + 1 });
  if (found.length <= request.limit) return { items: found };
  const items = found.slice(0, request.limit);
  return { items, next: encodeCursor(scope, sortKeyOf(items.at(-1)!, query.orderBy)) };
}
