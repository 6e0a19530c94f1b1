import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { assertCollectionName, assertFieldName } from '../names.js';
import { assertScalar, validateBatch } from '../input-checks.js';
import {
  ReadModelStoreUnavailableError,
  type FindQuery,
  type ProjectionBatch,
  type ReadModelStore,
  type Scalar,
  type ViewDocument,
} from '../read-model-store.port.js';

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
  /** How often the worker checkpoints the WAL (see CHECKPOINT_WORKER). Default 1000 ms. */
  checkpointIntervalMs?: number;
  /**
   * WAL size, in pages, past which the next commit waits for the checkpoint worker to copy all of
   * the WAL so that it starts over (see CHECKPOINT_WORKER). Default 32768 (128 MiB of 4 KiB pages).
   */
  walRestartPages?: number;
  /**
   * Run the WAL checkpoint worker (default true). False for a connection that only reads beside
   * another one that writes and checkpoints (the API beside its projector thread).
   */
  walCheckpoints?: boolean;
}

type Statement = Database.Statement<unknown[], unknown>;

interface CollectionStatements {
  get: Statement;
  /** Binds `id, doc, position`, then one value per field column (see `paths`). */
  upsert: Statement;
  delete: Statement;
  /** The fields that have a column in the table (see `columnName`), as read from its schema. */
  columns: ReadonlySet<string>;
  /** The path of each field column, in the order the upsert binds them. */
  paths: string[][];
  /** The field columns of a stored document, as raw values (integers as bigint), in `paths` order. */
  columnValues: Statement;
  /** `UPDATE … SET doc, position` and the field columns whose bit is set in the mask, by mask. */
  updates: Map<number, Statement>;
}

/** Beyond this many field columns every put is an upsert of all of them (a mask has 31 bits). */
const MAX_MASKED_COLUMNS = 30;

/** SQLite error codes that mean the storage itself is failing, not the statement. */
const UNAVAILABLE_CODES = [
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_PERM',
  'SQLITE_PROTOCOL',
  'SQLITE_NOLFS',
  'SQLITE_AUTH',
];

function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // Not `instanceof Database.SqliteError`: the native addon keeps the SqliteError class of the first
  // module instance that loaded it, which is not this one under module isolation (jest workers).
  if (code.startsWith('SQLITE_')) {
    return UNAVAILABLE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
  }
  // Node file-system errors while creating the folder or opening the file.
  return /^E[A-Z]+$/.test(code);
}

function translate(err: unknown, what: string): unknown {
  if (err instanceof ReadModelStoreUnavailableError) return err;
  if (isUnavailable(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new ReadModelStoreUnavailableError(`read-model store: ${what} failed: ${message}`, { cause: err });
  }
  return err;
}

/**
 * Checkpoints the WAL into the database file from a worker thread with its own connection
 * (`wal_checkpoint(PASSIVE)`, which never blocks readers or writers), so that no projection commit
 * pays for the copy and its fsync on the event loop (the writer runs with wal_autocheckpoint=0).
 *
 * The WAL starts over from its beginning only when a write transaction begins after a checkpoint
 * has copied all of it, which under a steady stream of commits (a rebuild, a projector catching up)
 * a passive checkpoint never sees: the WAL grew without bound (gigabytes within a rebuild of a
 * million events, every page read searching it, the final checkpoint copying it all). So once the
 * WAL is past `restartPages`, the worker tells the store, which after its next commit has it run a
 * `wal_checkpoint(RESTART)` while the next batch is projected: it copies what the passive
 * checkpoints left (little: past a quarter of `restartPages` they run every `catchUpMs` while
 * commits come). The commit after waits for it (asynchronously: the event loop runs on) and writes
 * the WAL from its beginning again.
 * Inline source, so it runs the same compiled or loaded from TypeScript; unref'd.
 */
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.filename, { timeout: 0 });
db.pragma('synchronous = FULL');
let timer;
let lastLog = 0;
const checkpoint = () => {
  let delay = workerData.intervalMs;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log >= workerData.restartPages) parentPort.postMessage('wal-long');
    else if (result.log >= workerData.restartPages / 4 && result.log !== lastLog) delay = workerData.catchUpMs;
    lastLog = result.log;
  } catch {}
  timer = setTimeout(checkpoint, delay);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'restart') {
    try {
      db.pragma('busy_timeout = 100');
      db.pragma('wal_checkpoint(RESTART)');
    } catch {
    } finally {
      try { db.pragma('busy_timeout = 0'); } catch {}
    }
    parentPort.postMessage('restarted');
    return;
  }
  clearTimeout(timer);
  db.close();
  process.exit(0);
});
`;
/** How often the worker checkpoints once the WAL is a quarter of `restartPages`. */
const CHECKPOINT_CATCH_UP_MS = 50;
/** How long a commit waits at most for the checkpointer to let the WAL start over. */
const WAL_RESTART_TIMEOUT_MS = 5000;

/** The checkpoint worker of one store (see CHECKPOINT_WORKER). */
class Checkpointer {
  /** The WAL is past `restartPages`: it should start over (`restartWal`). */
  walTooLong = false;
  /** The restart in flight: no commit may begin before it ends. */
  restarting: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message) => {
      if (message === 'wal-long') this.walTooLong = true;
    });
  }

  static start(filename: string, intervalMs: number, restartPages: number): Checkpointer | undefined {
    try {
      const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(CHECKPOINT_WORKER, {
        eval: true,
        workerData: { driverPath, filename, intervalMs, catchUpMs: Math.min(intervalMs, CHECKPOINT_CATCH_UP_MS), restartPages },
      });
      worker.on('error', () => undefined);
      worker.unref();
      return new Checkpointer(worker);
    } catch {
      return undefined;
    }
  }

  /**
   * Has the worker checkpoint all of the WAL, so that the next commit writes it from its beginning;
   * resolves once done (best effort: also on timeout or exit).
   */
  restartWal(): Promise<void> {
    this.restarting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('exit', done);
        this.walTooLong = false;
        this.restarting = undefined;
        resolve();
      };
      const onMessage = (message: unknown): void => {
        if (message === 'restarted') done();
      };
      const timer = setTimeout(done, WAL_RESTART_TIMEOUT_MS);
      this.worker.on('message', onMessage);
      this.worker.once('exit', done);
      this.worker.postMessage('restart');
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    const forced = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(forced);
  }
}

const tableName = (collection: string): string => `"view_${collection}"`;

/**
 * Every field named in a declared index has a column of its own, `"f:<field>"` (no declared type,
 * so no affinity converts what it holds), filled at each upsert with what `json_extract(doc, '$.<field>')`
 * would return (see `columnValue`), and the index is a plain index on those columns: SQLite never
 * parses a document to maintain an index. Fields are validated (`assertFieldName`), so quoting is safe.
 */
const COLUMN_PREFIX = 'f:';
const columnName = (field: string): string => `"${COLUMN_PREFIX}${field}"`;
/** The index on the columns of a declared field set (unquoted). */
const indexName = (collection: string, set: string[]): string => `cx_${collection}:${set.join(',')}`;
/** The expression index earlier versions made for the same set, dropped once the columns exist. */
const legacyIndexName = (collection: string, set: string[]): string => `ix_${collection}:${set.join(',')}`;

const jsonExtract = (field: string): string => `json_extract(doc, '$.${field}')`;
/** The SQL expression of a (validated) field: `id`, its column when it has one, else json_extract. */
const fieldExpr = (field: string, columns: ReadonlySet<string>): string =>
  field === 'id' ? 'id' : columns.has(field) ? columnName(field) : jsonExtract(field);
const typeExpr = (field: string): string => `json_type(doc, '$.${field}')`;

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
function columnValue(doc: unknown, path: readonly string[]): string | number | bigint | null {
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
  /** Collections whose table is known to exist. */
  private readonly tables = new Set<string>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly findStatements = new Map<string, Statement>();
  private readonly getCheckpoint: Statement;
  private readonly setCheckpoint: Statement;
  private readonly tableExists: Statement;
  private readonly readSchemaVersion: Statement;
  /** The schema version the cached statements and columns were learnt at (-1: unknown). */
  private schemaVersion = -1;
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
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`cache_size = ${-Math.max(1, Math.trunc(options.cacheSizeMb ?? 64)) * 1024}`);
      if (filename !== ':memory:' && !filename.startsWith('file:') && options.walCheckpoints !== false) {
        // Off the event loop: see CHECKPOINT_WORKER. Without the worker, SQLite's own automatic one.
        const restartPages = options.walRestartPages ?? 32768;
        this.checkpointer = Checkpointer.start(resolve(filename), options.checkpointIntervalMs ?? 1000, restartPages);
        if (this.checkpointer) this.db.pragma('wal_autocheckpoint = 0');
        // A WAL that grew (past versions, or a restart missed) shrinks back when it starts over.
        const pageSize = this.db.pragma('page_size', { simple: true }) as number;
        this.db.pragma(`journal_size_limit = ${restartPages * pageSize}`);
      }
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID',
      );
      this.getCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?').pluck();
      this.setCheckpoint = this.db.prepare(
        'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ' +
          'ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
      );
      this.tableExists = this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .pluck();
      this.readSchemaVersion = this.db.prepare('PRAGMA schema_version').pluck();
      this.syncSchema();
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
      this.syncSchema();
      let collection = '';
      let statements: CollectionStatements | undefined;
      for (const change of batch.changes) {
        if (!statements || change.collection !== collection) {
          collection = change.collection;
          statements = this.writeStatements(collection);
        }
        if (change.kind === 'put') {
          const { doc } = change;
          if (statements.paths.length === 0) {
            statements.upsert.run(doc.id, JSON.stringify(doc), doc.position);
          } else {
            this.put(statements, collection, doc);
          }
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
      const statements = this.readStatements(collection);
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
      this.syncSchema();
      const statements = this.readStatements(collection);
      if (!statements) return [];
      const params: unknown[] = [];
      const sql = buildFind(collection, statements.columns, query, params);
      let statement = this.findStatements.get(sql);
      if (!statement) {
        statement = this.db.prepare(sql).pluck();
        if (this.findStatements.size >= 500) this.findStatements.clear();
        this.findStatements.set(sql, statement);
      }
      return (statement.all(...params) as string[]).map((text) => JSON.parse(text) as T);
    } catch (err) {
      throw translate(err, `find ${collection}`);
    }
  }

  /** SQLite's query plan for a find (diagnostics and tests: shows which index answers it). */
  explainFind(collection: string, query: FindQuery = {}): string[] {
    assertCollectionName(collection);
    checkFind(query);
    this.assertOpen();
    this.syncSchema();
    const statements = this.readStatements(collection);
    if (!statements) return [];
    const params: unknown[] = [];
    const sql = buildFind(collection, statements.columns, query, params);
    const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
    return rows.map((row) => row.detail);
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
      this.forgetSchema();
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
  async ensureIndexes(collection: string, fields: string[][]): Promise<void> {
    assertCollectionName(collection);
    for (const set of fields) for (const field of set) assertFieldName(field);
    this.assertOpen();
    const sets = fields.filter((set) => set.length > 0 && !(set.length === 1 && set[0] === 'id'));
    const wanted = [...new Set(sets.flat())].filter((field) => field !== 'id');
    const table = tableName(collection);
    try {
      if (this.indexesInPlace(collection, sets, wanted)) return;
      this.db
        .transaction(() => {
          this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} ${BASE_COLUMNS}`);
          const existing = new Set(this.columnFields(collection));
          const missing = wanted.filter((field) => !existing.has(field));
          for (const set of sets) this.db.exec(`DROP INDEX IF EXISTS "${legacyIndexName(collection, set)}"`);
          for (const field of missing) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnName(field)}`);
          if (missing.length > 0) {
            const assignments = missing.map((field) => `${columnName(field)} = ${jsonExtract(field)}`);
            this.db.exec(`UPDATE ${table} SET ${assignments.join(', ')}`);
          }
          for (const set of sets) {
            const columns = set.map((field) => (field === 'id' ? 'id' : columnName(field)));
            this.db.exec(`CREATE INDEX IF NOT EXISTS "${indexName(collection, set)}" ON ${table} (${columns.join(', ')})`);
          }
        })
        .immediate();
    } catch (err) {
      this.forgetSchema();
      throw translate(err, `ensureIndexes ${collection}`);
    }
    // The upsert of this collection must now bind the new columns.
    this.forgetSchema();
  }

  async dropCollection(collection: string): Promise<void> {
    assertCollectionName(collection);
    this.assertOpen();
    try {
      this.db.exec(`DROP TABLE IF EXISTS ${tableName(collection)}`);
      this.forgetSchema();
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
    this.statements.clear();
    this.findStatements.clear();
    await this.checkpointer?.stop();
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelStoreUnavailableError('read-model store is closed');
  }

  /** Forgets the tables, columns and statements learnt so far. */
  private forgetSchema(): void {
    this.tables.clear();
    this.statements.clear();
    this.findStatements.clear();
    this.schemaVersion = -1;
  }

  /**
   * Forgets what was learnt of the schema when it has changed since (this connection's DDL or
   * another's: a table created or dropped, columns added), so statements are prepared again with
   * the columns the tables have now.
   */
  private syncSchema(): void {
    const version = this.readSchemaVersion.get() as number;
    if (version === this.schemaVersion) return;
    this.forgetSchema();
    this.schemaVersion = version;
  }

  private hasTable(collection: string): boolean {
    if (this.tables.has(collection)) return true;
    // Another connection (a projector process) may have created it since.
    if (this.tableExists.get(`view_${collection}`) === undefined) return false;
    this.tables.add(collection);
    return true;
  }

  private createTable(collection: string): void {
    if (this.hasTable(collection)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${tableName(collection)} ${BASE_COLUMNS}`);
    this.tables.add(collection);
  }

  /**
   * Whether the table, its columns and indexes are all there and no old expression index is left:
   * then `ensureIndexes` needs no write lock (a projector process may be committing a long batch).
   */
  private indexesInPlace(collection: string, sets: string[][], wanted: string[]): boolean {
    if (this.tableExists.get(`view_${collection}`) === undefined) return false;
    const columns = new Set(this.columnFields(collection));
    if (!wanted.every((field) => columns.has(field))) return false;
    const indexes = new Set(
      this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?")
        .pluck()
        .all(`view_${collection}`) as string[],
    );
    return sets.every((set) => indexes.has(indexName(collection, set)) && !indexes.has(legacyIndexName(collection, set)));
  }

  /**
   * Writes a document with its field columns. An existing row is updated with only the columns
   * whose value changed: SQLite rewrites the entries of every index on a column the UPDATE sets,
   * even to the same value, and most puts (a task completed) leave most indexed fields as they were
   * (an upsert of every column wrote nearly three times the WAL of one that sets only the document).
   */
  private put(statements: CollectionStatements, collection: string, doc: ViewDocument): void {
    const { paths } = statements;
    const columns: unknown[] = paths.map((path) => columnValue(doc, path));
    const stored = paths.length <= MAX_MASKED_COLUMNS ? (statements.columnValues.get(doc.id) as unknown[] | undefined) : undefined;
    if (!stored) {
      statements.upsert.run(doc.id, JSON.stringify(doc), doc.position, ...columns);
      return;
    }
    let mask = 0;
    const changed: unknown[] = [];
    for (let i = 0; i < columns.length; i++) {
      if (columns[i] !== stored[i]) {
        mask |= 1 << i;
        changed.push(columns[i]);
      }
    }
    let update = statements.updates.get(mask);
    if (!update) {
      const set = ['doc = ?', 'position = ?', ...paths.flatMap((path, i) => (mask & (1 << i) ? [`${columnName(path.join('.'))} = ?`] : []))];
      update = this.db.prepare(`UPDATE ${tableName(collection)} SET ${set.join(', ')} WHERE id = ?`);
      statements.updates.set(mask, update);
    }
    update.run(JSON.stringify(doc), doc.position, ...changed, doc.id);
  }

  /** The fields that have a column in the collection's table. */
  private columnFields(collection: string): string[] {
    const columns = this.db.prepare(`PRAGMA table_info(${tableName(collection)})`).all() as Array<{ name: string }>;
    return columns.filter(({ name }) => name.startsWith(COLUMN_PREFIX)).map(({ name }) => name.slice(COLUMN_PREFIX.length));
  }

  private readStatements(collection: string): CollectionStatements | null {
    const cached = this.statements.get(collection);
    if (cached) return cached;
    if (!this.hasTable(collection)) return null;
    return this.prepareStatements(collection);
  }

  private writeStatements(collection: string): CollectionStatements {
    const cached = this.statements.get(collection);
    if (cached) return cached;
    assertCollectionName(collection);
    this.createTable(collection);
    return this.prepareStatements(collection);
  }

  private prepareStatements(collection: string): CollectionStatements {
    const table = tableName(collection);
    const fields = this.columnFields(collection);
    const names = ['id', 'doc', 'position', ...fields.map(columnName)];
    const statements: CollectionStatements = {
      get: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
      upsert: this.db.prepare(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
          `ON CONFLICT (id) DO UPDATE SET ${names
            .slice(1)
            .map((name) => `${name} = excluded.${name}`)
            .join(', ')}`,
      ),
      delete: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      columns: new Set(fields),
      paths: fields.map((field) => field.split('.')),
      columnValues: this.db
        .prepare(`SELECT ${fields.length > 0 ? fields.map(columnName).join(', ') : 'NULL'} FROM ${table} WHERE id = ?`)
        .raw()
        .safeIntegers(),
      updates: new Map(),
    };
    this.statements.set(collection, statements);
    return statements;
  }
}

/** The columns every collection's table starts with. */
const BASE_COLUMNS = '(id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID';

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
function checkFind(query: FindQuery): void {
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
}

/** The SQL of a (checked) find over a collection whose table has `columns`. */
function buildFind(collection: string, columns: ReadonlySet<string>, query: FindQuery, params: unknown[]): string {
  let sql = `SELECT doc FROM ${tableName(collection)}`;
  const conditions: string[] = [];
  for (const [field, condition] of Object.entries(query.where ?? {})) {
    const values = condition !== null && typeof condition === 'object' ? condition.in : [condition];
    conditions.push(equalsAny(field, values, columns, params));
  }
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
