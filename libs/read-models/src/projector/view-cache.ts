import type { ViewChange, ViewDocument } from '../read-model-store.port.js';

/**
 * The documents one projection read in earlier batches, kept as it committed them, so that the next
 * event on a launch does not read and parse its view again. Least recently used first out.
 *
 * Only documents of collections the projection reads (`get`) are kept: those it only writes (one
 * row per task) would push them out. Sound as long as the views change only through the log: the
 * projection is the only writer of its collections, and any other projector on the same store
 * folds the same events in the same order. The runner empties it whenever it subscribes again
 * (after a failure, or a lease lost and regained).
 */
export class ViewCache {
  private readonly docs = new Map<string, ViewDocument | null>();
  private readonly read = new Set<string>();

  constructor(readonly capacity: number) {}

  /** The committed document (null: absent), or undefined when not kept. */
  get(collection: string, id: string): ViewDocument | null | undefined {
    const key = keyOf(collection, id);
    const doc = this.docs.get(key);
    if (doc === undefined) return undefined;
    this.docs.delete(key);
    this.docs.set(key, doc);
    return doc;
  }

  /** A document as the store answered it. */
  stored(collection: string, id: string, doc: ViewDocument | null): void {
    this.read.add(collection);
    this.keep(keyOf(collection, id), doc);
  }

  /** A batch committed: its changes are what the store now holds. */
  committed(changes: readonly ViewChange[]): void {
    for (const change of changes) {
      if (!this.read.has(change.collection)) continue;
      if (change.kind === 'put') this.keep(keyOf(change.collection, change.doc.id), change.doc);
      else this.keep(keyOf(change.collection, change.id), null);
    }
  }

  clear(): void {
    this.docs.clear();
  }

  get size(): number {
    return this.docs.size;
  }

  private keep(key: string, doc: ViewDocument | null): void {
    if (this.capacity <= 0) return;
    this.docs.delete(key);
    this.docs.set(key, doc);
    if (this.docs.size > this.capacity) this.docs.delete(this.docs.keys().next().value!);
  }
}

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;
