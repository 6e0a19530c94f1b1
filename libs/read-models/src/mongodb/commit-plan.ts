import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { validateBatch } from '../input-checks.js';
import type { ProjectionBatch, ViewChange } from '../read-model-store.port.js';
import { toStoredView, type StoredView } from './stored-view.js';

/** The MongoDB collection that holds a view collection. */
export const viewCollectionName = (collection: string): string => `view_${collection}`;

/** The collection of projection checkpoints: `{ _id: projection, position }`. */
export const CHECKPOINTS_COLLECTION = 'read_model_checkpoints';

/** The writes of one view collection, in one bulk write. `puts[i]` tells whether operation i is a put. */
export interface CollectionWrites {
  collection: string;
  operations: AnyBulkWriteOperation<StoredView>[];
  puts: boolean[];
}

/**
 * `guarded`: each write applies only over an older document (no transaction: replay safety comes
 * from the positions). `transactional`: plain writes, for a transaction that has already checked the
 * checkpoint.
 */
export type CommitMode = 'guarded' | 'transactional';

/** The last change of each document, grouped by collection (the port: the last change wins). */
export function lastChanges(changes: ViewChange[]): Map<string, Map<string, ViewChange>> {
  const byCollection = new Map<string, Map<string, ViewChange>>();
  for (const change of changes) {
    let byId = byCollection.get(change.collection);
    if (!byId) byCollection.set(change.collection, (byId = new Map()));
    const id = change.kind === 'put' ? change.doc.id : change.id;
    byId.delete(id); // keep the order of the last changes
    byId.set(id, change);
  }
  return byCollection;
}

/**
 * The writes a batch makes, per collection. Every document is converted before anything is written,
 * so a document that cannot be stored fails the batch while it has changed nothing.
 *
 * Guarded writes: a put replaces the stored document only where its position is older
 * (`position < new`), else upserts; when a document at that position or newer exists, the upsert's
 * insert fails on the duplicate `_id`, which the store reads as "already newer" and ignores. A delete
 * removes the document only where its position is at or below the batch's: a newer document comes
 * from a later batch and stays.
 */
export function planCommit(batch: ProjectionBatch, mode: CommitMode): CollectionWrites[] {
  validateBatch(batch);
  const plan: CollectionWrites[] = [];
  for (const [collection, byId] of lastChanges(batch.changes)) {
    const writes: CollectionWrites = { collection, operations: [], puts: [] };
    for (const change of byId.values()) {
      if (change.kind === 'put') {
        const stored = toStoredView(collection, change.doc);
        const filter = mode === 'guarded' ? { _id: stored._id, position: { $lt: stored.position } } : { _id: stored._id };
        writes.operations.push({ replaceOne: { filter, replacement: stored, upsert: true } });
        writes.puts.push(true);
      } else {
        const filter = mode === 'guarded' ? { _id: change.id, position: { $lte: batch.position } } : { _id: change.id };
        writes.operations.push({ deleteOne: { filter } });
        writes.puts.push(false);
      }
    }
    plan.push(writes);
  }
  return plan;
}

/** Moves a checkpoint forward only: `$max` never lowers it, so a late or replayed commit cannot. */
export function checkpointUpdate(batch: ProjectionBatch): { filter: Document; update: Document } {
  return { filter: { _id: batch.projection }, update: { $max: { position: batch.position } } };
}
