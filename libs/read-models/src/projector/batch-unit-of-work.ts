import { assertCollectionName } from '../names.js';
import type { ViewUnitOfWork } from '../projection.js';
import type { ReadModelStore, ViewChange, ViewDocument } from '../read-model-store.port.js';
import type { ViewCache } from './view-cache.js';

/**
 * The views as one projection sees them while it applies a batch: `get` reads the store once per
 * document and then answers from the batch's own state, so reads see the batch's earlier puts and
 * deletes. `changes()` is what the batch commits: the last change of each document it touched.
 *
 * Documents are handed over by reference, not copied: a projection must not mutate a document it
 * got without putting it again (evolve-style projections build a new object anyway).
 */
export class BatchUnitOfWork implements ViewUnitOfWork {
  /** collection → id → the document as the batch sees it (null: absent or deleted). */
  private readonly docs = new Map<string, Map<string, ViewDocument | null>>();
  /** collection → id → the batch's last change to it. */
  private readonly written = new Map<string, Map<string, ViewChange>>();
  private count = 0;

  constructor(
    private readonly store: ReadModelStore,
    /** Collections the projection may write; undefined: any valid collection. */
    private readonly writable?: ReadonlySet<string>,
    private readonly projectionName = 'projection',
    /** Documents as committed by earlier batches, asked before the store. */
    private readonly committed?: ViewCache,
  ) {}

  async get<T extends ViewDocument>(collection: string, id: string): Promise<T | null> {
    const cached = this.docs.get(collection)?.get(id);
    if (cached !== undefined) return cached as T | null;
    const kept = this.committed?.get(collection, id);
    if (kept !== undefined) {
      this.cache(collection).set(id, kept);
      return kept as T | null;
    }
    const stored = await this.store.get<T>(collection, id);
    // A put or delete made while the read was in flight wins over what was read.
    const now = this.docs.get(collection)?.get(id);
    if (now !== undefined) return now as T | null;
    this.committed?.stored(collection, id, stored);
    this.cache(collection).set(id, stored);
    return stored;
  }

  put(collection: string, doc: ViewDocument): void {
    this.assertWritable(collection);
    if (doc === null || typeof doc !== 'object' || typeof doc.id !== 'string') {
      throw new TypeError(`${this.projectionName}: a document put into ${collection} needs a string id`);
    }
    if (typeof doc.position !== 'number' || !Number.isFinite(doc.position)) {
      throw new TypeError(`${this.projectionName}: document ${collection}/${doc.id} needs a numeric position`);
    }
    this.cache(collection).set(doc.id, doc);
    this.record(collection, doc.id, { kind: 'put', collection, doc });
  }

  delete(collection: string, id: string): void {
    this.assertWritable(collection);
    if (typeof id !== 'string') throw new TypeError(`${this.projectionName}: delete from ${collection} needs an id`);
    this.cache(collection).set(id, null);
    this.record(collection, id, { kind: 'delete', collection, id });
  }

  /** The batch's changes: one per document touched, the last one made. */
  changes(): ViewChange[] {
    const changes: ViewChange[] = [];
    for (const byId of this.written.values()) for (const change of byId.values()) changes.push(change);
    return changes;
  }

  /** How many documents the batch changed. */
  get size(): number {
    return this.count;
  }

  private cache(collection: string): Map<string, ViewDocument | null> {
    let byId = this.docs.get(collection);
    if (!byId) {
      byId = new Map();
      this.docs.set(collection, byId);
    }
    return byId;
  }

  private record(collection: string, id: string, change: ViewChange): void {
    let byId = this.written.get(collection);
    if (!byId) {
      byId = new Map();
      this.written.set(collection, byId);
    }
    if (!byId.has(id)) this.count += 1;
    byId.set(id, change);
  }

  private assertWritable(collection: string): void {
    if (this.writable) {
      if (!this.writable.has(collection)) {
        throw new Error(`${this.projectionName} writes ${collection}, which it does not declare in its collections`);
      }
    } else {
      assertCollectionName(collection);
    }
  }
}
