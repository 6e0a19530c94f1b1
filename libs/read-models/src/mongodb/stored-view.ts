import type { ViewDocument } from '../read-model-store.port.js';

/** A view document as MongoDB keeps it: the view's `id` is the `_id`, every other field as is. */
export type StoredView = { _id: string; position: number } & Record<string, unknown>;

/**
 * The stored form of a view document. The document goes through JSON first, exactly as the embedded
 * adapter stores it, so both adapters give back the same values (no `undefined`, no Date or class
 * instances), and a document that JSON cannot hold (a cycle, a BigInt) fails here, before anything
 * of its batch is written.
 */
export function toStoredView(collection: string, doc: ViewDocument): StoredView {
  const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  if (Object.hasOwn(json, '_id')) {
    throw new TypeError(`document ${collection}/${doc.id}: the field _id is reserved by the MongoDB adapter`);
  }
  const { id, ...fields } = json;
  return { ...fields, _id: id as string, position: doc.position };
}

/** The view document a stored one holds. */
export function fromStoredView<T extends ViewDocument>(stored: Record<string, unknown>): T {
  const { _id, ...fields } = stored;
  return { id: _id, ...fields } as T;
}
