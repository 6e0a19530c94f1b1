import type { AnyBulkWriteOperation, ClientSession, Collection, Db } from 'mongodb';
import { assertCollectionName } from '../names.js';
import {
  ReadModelStoreUnavailableError,
  type EnsureIndexesOptions,
  type FindQuery,
  type ProjectionBatch,
  type ReadModelStore,
  type ViewDocument,
} from '../read-model-store.port.js';
import { validateBatch } from '../input-checks.js';
import { CHECKPOINTS_COLLECTION, checkpointUpdate, planCommit, viewCollectionName, type CollectionWrites } from './commit-plan.js';
import { indexKeys, toMongoFind } from './find-query.js';
import { bulkWriteErrors, isDuplicateKey, isMongoUnavailable, type MongoConnection } from '#mongo';
import { fromStoredView, type StoredView } from './stored-view.js';

export interface MongoReadModelStoreOptions {
  connection: MongoConnection;
  /** Close the connection with the store (default true: the store owns it). */
  ownsConnection?: boolean;
  /**
   * `auto` (default): a transaction per batch on a replica set or sharded cluster, position-guarded
   * writes on a standalone server. `never`: always guarded writes.
   */
  transactions?: 'auto' | 'never';
}

interface CheckpointDocument {
  _id: string;
  position: number;
}

/** How many times a guarded upsert that lost a race is tried again. */
const UPSERT_RACE_RETRIES = 5;

/**
 * The read-model store on MongoDB: one collection per view collection (`view_<name>`), each document
 * `{ _id: <view id>, position, ...fields }`, and the checkpoints in `read_model_checkpoints`.
 *
 * A batch commits in one transaction with its checkpoint where the deployment has transactions
 * (replica set, sharded cluster). On a standalone server it cannot, so it commits like this:
 *   1. read the checkpoint; a batch at or below it changes nothing;
 *   2. write each document only over an older one (a put where the stored `position` < the new
 *      one, a delete where it is ≤ the batch's position);
 *   3. then move the checkpoint with `$max`, which never lowers it.
 * Why a replay then applies nothing twice: a crash after 2 and before 3 leaves the checkpoint where
 * it was, so the projector replays the batch's events. The projection skips every event at or below
 * a document's stored position, and the guard refuses any write that is not newer than what is stored,
 * so writing a change again, or an older change after a newer one, is a no-op; each document ends in
 * the state of its last event whatever the number of replays, and the checkpoint only ever grows.
 * Two projectors racing (which the lease prevents) are safe for the same reason. The one thing the
 * standalone mode gives up is all-or-nothing visibility: a reader may see part of a batch before
 * its checkpoint moves (read-your-writes waits for the checkpoint, so it is unaffected).
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly connection: MongoConnection;
  private readonly ownsConnection: boolean;
  private readonly transactionsOption: 'auto' | 'never';
  private useTransactions: boolean | undefined;
  private closed = false;

  constructor(options: MongoReadModelStoreOptions) {
    this.connection = options.connection;
    this.ownsConnection = options.ownsConnection ?? true;
    this.transactionsOption = options.transactions ?? 'auto';
    if (this.transactionsOption === 'never') this.useTransactions = false;
  }

  async get<T extends ViewDocument>(collection: string, id: string): Promise<T | null> {
    assertCollectionName(collection);
    return this.run(`get ${collection}`, async (db) => {
      const stored = await db.collection<StoredView>(viewCollectionName(collection)).findOne({ _id: id });
      return stored ? fromStoredView<T>(stored) : null;
    });
  }

  async find<T extends ViewDocument>(collection: string, query: FindQuery = {}): Promise<T[]> {
    assertCollectionName(collection);
    const { filter, sort, limit, empty } = toMongoFind(query);
    if (empty) {
      this.assertOpen();
      return [];
    }
    return this.run(`find ${collection}`, async (db) => {
      const cursor = db.collection(viewCollectionName(collection)).find(filter, { sort, ...(limit !== undefined && { limit }) });
      return (await cursor.toArray()).map((stored) => fromStoredView<T>(stored));
    });
  }

  async checkpoint(projection: string): Promise<number> {
    return this.run(`checkpoint of ${projection}`, (db) => readCheckpoint(db, projection));
  }

  async commit(batch: ProjectionBatch): Promise<void> {
    validateBatch(batch);
    this.assertOpen();
    await this.run(`commit of ${batch.projection} at ${batch.position}`, async (db) => {
      if (await this.transactionsAvailable(db)) await this.commitInTransaction(db, batch);
      else await this.commitGuarded(db, batch);
    });
  }

  async ensureIndexes(collection: string, fields: string[][], options?: EnsureIndexesOptions): Promise<void> {
    assertCollectionName(collection);
    const declared = fields.map(indexKeys);
    // Deferred: only the collection; its indexes are built over the whole of it later.
    const specs = options?.deferred ? [] : declared;
    await this.run(`ensureIndexes ${collection}`, async (db) => {
      const target = db.collection(viewCollectionName(collection));
      for (const key of specs) {
        if (key) await target.createIndex(key);
      }
      // The collection exists even with no index to add, like the embedded adapter's table.
      if (specs.every((key) => key === null)) {
        await db.createCollection(viewCollectionName(collection)).catch((err: unknown) => {
          if ((err as { codeName?: unknown }).codeName !== 'NamespaceExists') throw err;
        });
      }
    });
  }

  async dropCollection(collection: string): Promise<void> {
    assertCollectionName(collection);
    await this.run(`dropCollection ${collection}`, async (db) => {
      await db.dropCollection(viewCollectionName(collection)).catch((err: unknown) => {
        if ((err as { codeName?: unknown }).codeName !== 'NamespaceNotFound') throw err;
      });
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.connection.ping();
    } catch (err) {
      throw translate(err, 'ping');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsConnection) await this.connection.close();
  }

  private async commitGuarded(db: Db, batch: ProjectionBatch): Promise<void> {
    const plan = planCommit(batch, 'guarded');
    if (batch.position <= (await readCheckpoint(db, batch.projection))) return;
    for (const writes of plan) await this.writeGuarded(db, writes);
    await moveCheckpoint(db, batch);
  }

  /** One unordered bulk write; a put that met a document at its position or newer is a no-op. */
  private async writeGuarded(db: Db, writes: CollectionWrites): Promise<void> {
    if (writes.operations.length === 0) return;
    const collection = db.collection<StoredView>(viewCollectionName(writes.collection));
    try {
      await collection.bulkWrite(writes.operations, { ordered: false });
    } catch (err) {
      const errors = bulkWriteErrors(err);
      if (!errors || errors.length === 0) throw err;
      for (const error of errors) {
        if (error.code !== 11000 || !writes.puts[error.index]) throw err;
      }
      for (const error of errors) await upsertAfterRace(collection, writes.operations[error.index]!);
    }
  }

  /** The checkpoint check, the writes and the new checkpoint in one transaction: exactly once. */
  private async commitInTransaction(db: Db, batch: ProjectionBatch): Promise<void> {
    const plan = planCommit(batch, 'transactional');
    const session: ClientSession = this.connection.client.startSession();
    try {
      await session.withTransaction(
        async () => {
          if (batch.position <= (await readCheckpoint(db, batch.projection, session))) return;
          for (const writes of plan) {
            if (writes.operations.length > 0) {
              await db.collection<StoredView>(viewCollectionName(writes.collection)).bulkWrite(writes.operations, { ordered: true, session });
            }
          }
          await moveCheckpoint(db, batch, session);
        },
        { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
      );
    } finally {
      await session.endSession().catch(() => undefined);
    }
  }

  private async transactionsAvailable(db: Db): Promise<boolean> {
    if (this.useTransactions !== undefined) return this.useTransactions;
    const hello = await db.admin().command({ hello: 1 });
    this.useTransactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
    return this.useTransactions;
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelStoreUnavailableError('read-model store is closed');
  }

  private async run<T>(what: string, operation: (db: Db) => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await operation(await this.connection.db());
    } catch (err) {
      throw translate(err, what);
    }
  }
}

async function readCheckpoint(db: Db, projection: string, session?: ClientSession): Promise<number> {
  const found = await db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION).findOne({ _id: projection }, session ? { session } : {});
  return found?.position ?? 0;
}

async function moveCheckpoint(db: Db, batch: ProjectionBatch, session?: ClientSession): Promise<void> {
  const { filter, update } = checkpointUpdate(batch);
  const checkpoints = db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
  try {
    await checkpoints.updateOne(filter, update, { upsert: true, ...(session && { session }) });
  } catch (err) {
    // Two first commits racing to insert the checkpoint: the loser updates the winner's.
    if (session || !isDuplicateKey(err)) throw err;
    await checkpoints.updateOne(filter, update);
  }
}

/**
 * A guarded upsert failed on the duplicate `_id`: a document with that id exists but is not older.
 * Usually it is at the same or a newer position and the put is a no-op; but it may have been older
 * and replaced or deleted between the filter and the insert, so try the guarded put again until it
 * either applies or meets a document that is not older.
 */
async function upsertAfterRace(collection: Collection<StoredView>, operation: AnyBulkWriteOperation<StoredView>): Promise<void> {
  if (!('replaceOne' in operation)) return;
  const { filter, replacement } = operation.replaceOne;
  for (let attempt = 0; attempt < UPSERT_RACE_RETRIES; attempt++) {
    const replaced = await collection.replaceOne(filter, replacement);
    if (replaced.matchedCount > 0) return;
    if (await collection.findOne({ _id: filter._id as string }, { projection: { _id: 1 } })) return;
    try {
      await collection.replaceOne(filter, replacement, { upsert: true });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

function translate(err: unknown, what: string): unknown {
  if (err instanceof ReadModelStoreUnavailableError) return err;
  if (isMongoUnavailable(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new ReadModelStoreUnavailableError(`read-model store: ${what} failed: ${message}`, { cause: err });
  }
  return err;
}
