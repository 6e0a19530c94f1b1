import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { enableWal, isStorageFault } from '#event-store';
import { assertCollectionName, assertFieldName } from '../names.js';
import { validateBatch } from '../input-checks.js';
import {
  ReadModelStoreUnavailableError,
  type EnsureIndexesOptions,
  type FindQuery,
  type ProjectionBatch,
  type ReadModelStore,
  type ViewDocument,
} from '../read-model-store.port.js';
import { Checkpointer } from './checkpointer.js';
import { putDocument, type CollectionStatements, type Statement } from './collection-statements.js';
import { buildFind, checkFind, LOWER_FUNCTION, lowerCase } from './find-sql.js';
import { SchemaCache } from './schema-cache.js';
import { tableName } from './view-columns.js';
import { indexesInPlace, migrateIndexes } from './view-indexes.js';

export interface SqliteReadModelStoreOptions {
  /** Path of the database file (its folder is created), or `:memory:`. */
  filename: string;
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * Page cache of the connection, in MiB (filled as pages are used). Default 64: a projection's
   * inserts land at random places of every index, and with SQLite's default 2 MiB most of them read
   * their pages back from the file (a rebuild of a million events spent a third of its time there).
   */
  cacheSizeMb?: number;
  /** How often the worker checkpoints the WAL (see Checkpointer). Default 1000 ms. */
  checkpointIntervalMs?: number;
  /**
   * WAL size, in pages, past which the next commit waits for the checkpoint worker to copy all of
   * the WAL so that it starts over (see Checkpointer). Default 32768 (128 MiB of 4 KiB pages).
   */
  walRestartPages?: number;
  /**
   * Run the WAL checkpoint worker (default true). False for a connection that only reads beside
   * another one that writes and checkpoints (the API beside its projector thread).
   */
  walCheckpoints?: boolean;
}

/** Storage faults (see #event-store's storage-faults.ts) become ReadModelStoreUnavailableError. */
function translate(err: unknown, what: string): unknown {
  if (err instanceof ReadModelStoreUnavailableError || !isStorageFault(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ReadModelStoreUnavailableError(`read-model store: ${what} failed: ${message}`, { cause: err });
}

/**
 * The embedded read-model store: one SQLite table per collection (`id`, the document as JSON text, its
 * `position`, and a column per indexed field), a `checkpoints` table, and each projection batch applied
 * in one transaction together with its checkpoint. WAL with `synchronous=NORMAL`: a commit is atomic
 * and survives the process being killed, but is fsynced only when the WAL is checkpointed (off the
 * event loop), so a power cut may take back the last batches, views and checkpoint together, and the
 * projector projects them again from the log. Views are derived data; only the event log must be
 * durable at every commit.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly db: Database.Database;
  private closed = false;
  private readonly schema: SchemaCache;
  private readonly getCheckpoint: Statement;
  private readonly setCheckpoint: Statement;
  private readonly applyBatch: (batch: ProjectionBatch) => void;
  private checkpointer: Checkpointer | undefined;

  constructor(options: SqliteReadModelStoreOptions) {
    const { filename } = options;
    try {
      if (filename !== ':memory:' && !filename.startsWith('file:')) {
        mkdirSync(dirname(resolve(filename)), { recursive: true });
      }
      this.db = new Database(filename);
    } catch (err) {
      throw translate(err, `opening ${filename}`);
    }
    try {
      enableWal(this.db);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`cache_size = ${-Math.max(1, Math.trunc(options.cacheSizeMb ?? 64)) * 1024}`);
      if (filename !== ':memory:' && !filename.startsWith('file:') && options.walCheckpoints !== false) {
        // Off the event loop: see Checkpointer. Without the worker, SQLite's own automatic one.
        const restartPages = options.walRestartPages ?? 32768;
        this.checkpointer = Checkpointer.start(resolve(filename), options.checkpointIntervalMs ?? 1000, restartPages);
        if (this.checkpointer) this.db.pragma('wal_autocheckpoint = 0');
        // A WAL that grew (past versions, or a restart missed) shrinks back when it starts over.
        const pageSize = this.db.pragma('page_size', { simple: true }) as number;
        this.db.pragma(`journal_size_limit = ${restartPages * pageSize}`);
      }
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.db.exec('CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID');
      this.getCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?').pluck();
      this.setCheckpoint = this.db.prepare(
        'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ' + 'ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
      );
      this.db.function(LOWER_FUNCTION, { deterministic: true }, lowerCase);
      this.schema = new SchemaCache(this.db);
    } catch (err) {
      void this.checkpointer?.stop();
      try {
        this.db.close();
      } catch {
        // already failing
      }
      throw translate(err, `opening ${filename}`);
    }

    const apply = (batch: ProjectionBatch): void => {
      const current = (this.getCheckpoint.get(batch.projection) as number | undefined) ?? 0;
      if (batch.position <= current) return;
      // Inside the write transaction: no other connection can change the schema until it commits.
      this.schema.sync();
      let collection = '';
      let statements: CollectionStatements | undefined;
      for (const change of batch.changes) {
        if (!statements || change.collection !== collection) {
          collection = change.collection;
          statements = this.schema.forWrite(collection);
        }
        if (change.kind === 'put') {
          putDocument(this.db, statements, collection, change.doc);
        } else {
          statements.delete.run(change.id);
        }
      }
      this.setCheckpoint.run(batch.projection, batch.position);
    };
    const transaction = this.db.transaction(apply);
    this.applyBatch = (batch) => transaction.immediate(batch);
  }

  async get<T extends ViewDocument>(collection: string, id: string): Promise<T | null> {
    assertCollectionName(collection);
    this.assertOpen();
    try {
      const statements = this.schema.forRead(collection);
      if (!statements) return null;
      const text = statements.get.get(id) as string | undefined;
      return text === undefined ? null : (JSON.parse(text) as T);
    } catch (err) {
      throw translate(err, `get ${collection}`);
    }
  }

  async find<T extends ViewDocument>(collection: string, query: FindQuery = {}): Promise<T[]> {
    assertCollectionName(collection);
    checkFind(query);
    this.assertOpen();
    try {
      // Another connection may have added columns (ensureIndexes) since this one looked.
      this.schema.sync();
      const statements = this.schema.forRead(collection);
      if (!statements) return [];
      const params: unknown[] = [];
      const sql = buildFind(collection, statements.columns, query, params);
      return (this.schema.find(sql).all(...params) as string[]).map((text) => JSON.parse(text) as T);
    } catch (err) {
      throw translate(err, `find ${collection}`);
    }
  }

  async checkpoint(projection: string): Promise<number> {
    this.assertOpen();
    try {
      return (this.getCheckpoint.get(projection) as number | undefined) ?? 0;
    } catch (err) {
      throw translate(err, `checkpoint of ${projection}`);
    }
  }

  async commit(batch: ProjectionBatch): Promise<void> {
    validateBatch(batch);
    this.assertOpen();
    const checkpointer = this.checkpointer;
    if (checkpointer?.restarting) {
      // The worker holds the write lock meanwhile: waiting here keeps the event loop free.
      await checkpointer.restarting;
      this.assertOpen();
    }
    try {
      this.applyBatch(batch);
    } catch (err) {
      // A rolled-back transaction may have created tables: forget what was learnt inside it.
      this.schema.forget();
      throw translate(err, `commit of ${batch.projection} at ${batch.position}`);
    }
    // The WAL is long: the worker copies what is left of it while the next batch is projected.
    if (checkpointer?.walTooLong) void checkpointer.restartWal();
  }

  /**
   * Creates the table if needed, gives every field of `fields` a column and each set an index on
   * them. A table made before fields had columns (or by `commit`, for an undeclared collection) gets
   * the missing columns, filled from its documents, and loses the old expression indexes, in one
   * transaction.
   */
  async ensureIndexes(collection: string, fields: string[][], options?: EnsureIndexesOptions): Promise<void> {
    assertCollectionName(collection);
    for (const set of fields) for (const field of set) assertFieldName(field);
    this.assertOpen();
    const declared = fields.filter((set) => set.length > 0 && !(set.length === 1 && set[0] === 'id'));
    const wanted = [...new Set(declared.flat())].filter((field) => field !== 'id');
    // Deferred: the columns (every write fills them) but no index on them yet.
    const sets = options?.deferred ? [] : declared;
    try {
      if (indexesInPlace(this.db, collection, sets, wanted)) return;
      migrateIndexes(this.db, collection, sets, wanted);
    } catch (err) {
      this.schema.forget();
      throw translate(err, `ensureIndexes ${collection}`);
    }
    // The upsert of this collection must now bind the new columns.
    this.schema.forget();
  }

  async dropCollection(collection: string): Promise<void> {
    assertCollectionName(collection);
    this.assertOpen();
    try {
      this.db.exec(`DROP TABLE IF EXISTS ${tableName(collection)}`);
      this.schema.forget();
    } catch (err) {
      throw translate(err, `dropCollection ${collection}`);
    }
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      throw translate(err, 'ping');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.schema.forget();
    await this.checkpointer?.stop();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelStoreUnavailableError('read-model store is closed');
  }
}
