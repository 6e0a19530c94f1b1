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
  type Where,
} from '../read-model-store.port.js';

export interface SqliteReadModelStoreOptions {
  /** Path of the database file (its folder is created), or `:memory:`. */
  filename: string;
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

type Statement = Database.Statement<unknown[], unknown>;

interface CollectionStatements {
  get: Statement;
  upsert: Statement;
  delete: Statement;
}

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
 * Inline source, so it runs the same compiled or loaded from TypeScript; unref'd.
 */
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.filename, { timeout: 0 });
db.pragma('synchronous = FULL');
const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;
const CHECKPOINT_INTERVAL_MS = 1000;

function startCheckpointer(filename: string): Worker | undefined {
  try {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { driverPath, filename, intervalMs: CHECKPOINT_INTERVAL_MS } });
    worker.on('error', () => undefined);
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}

async function stopCheckpointer(worker: Worker | undefined): Promise<void> {
  if (!worker) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage('stop');
  const forced = setTimeout(() => void worker.terminate(), 2000);
  await exited;
  clearTimeout(forced);
}

const tableName = (collection: string): string => `"view_${collection}"`;

/** The SQL expression of a (validated) field. `id` is the primary-key column. */
const fieldExpr = (field: string): string => (field === 'id' ? 'id' : `json_extract(doc, '$.${field}')`);
const typeExpr = (field: string): string => `json_type(doc, '$.${field}')`;

/**
 * The embedded read-model store: one SQLite table per collection (`id`, the document as JSON text, its
 * `position`), a `checkpoints` table, and each projection batch applied in one transaction together
 * with its checkpoint. WAL with `synchronous=NORMAL`: a commit is atomic and survives the process
 * being killed, but is fsynced only when the WAL is checkpointed (off the event loop), so a power cut
 * may take back the last batches, views and checkpoint together, and the projector projects them
 * again from the log. Views are derived data; only the event log must be durable at every commit.
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
  private readonly applyBatch: (batch: ProjectionBatch) => void;
  private checkpointer: Worker | undefined;

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
      if (filename !== ':memory:' && !filename.startsWith('file:')) {
        // Off the event loop: see CHECKPOINT_WORKER. Without the worker, SQLite's own automatic one.
        this.checkpointer = startCheckpointer(resolve(filename));
        if (this.checkpointer) this.db.pragma('wal_autocheckpoint = 0');
      }
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID',
      );
      for (const name of this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'view\\_%' ESCAPE '\\'")
        .pluck()
        .all() as string[]) {
        this.tables.add(name.slice('view_'.length));
      }
      this.getCheckpoint = this.db.prepare('SELECT position FROM checkpoints WHERE projection = ?').pluck();
      this.setCheckpoint = this.db.prepare(
        'INSERT INTO checkpoints (projection, position) VALUES (?, ?) ' +
          'ON CONFLICT (projection) DO UPDATE SET position = excluded.position',
      );
      this.tableExists = this.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        .pluck();
    } catch (err) {
      void stopCheckpointer(this.checkpointer);
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
      for (const change of batch.changes) {
        const statements = this.writeStatements(change.collection);
        if (change.kind === 'put') {
          const { doc } = change;
          statements.upsert.run(doc.id, JSON.stringify(doc), doc.position);
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
    const params: unknown[] = [];
    const sql = buildFind(collection, query, params);
    this.assertOpen();
    try {
      if (!this.hasTable(collection)) return [];
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
    const params: unknown[] = [];
    const sql = buildFind(collection, query, params);
    this.assertOpen();
    if (!this.hasTable(collection)) return [];
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
    try {
      this.applyBatch(batch);
    } catch (err) {
      // A rolled-back transaction may have created tables: forget what was learnt inside it.
      this.forgetSchema();
      throw translate(err, `commit of ${batch.projection} at ${batch.position}`);
    }
  }

  async ensureIndexes(collection: string, fields: string[][]): Promise<void> {
    assertCollectionName(collection);
    for (const set of fields) for (const field of set) assertFieldName(field);
    this.assertOpen();
    try {
      this.createTable(collection);
      for (const set of fields) {
        if (set.length === 0 || (set.length === 1 && set[0] === 'id')) continue;
        const name = `"ix_${collection}:${set.join(',')}"`;
        this.db.exec(
          `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(collection)} (${set.map(fieldExpr).join(', ')})`,
        );
      }
    } catch (err) {
      throw translate(err, `ensureIndexes ${collection}`);
    }
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
    await stopCheckpointer(this.checkpointer);
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new ReadModelStoreUnavailableError('read-model store is closed');
  }

  private forgetSchema(): void {
    this.tables.clear();
    this.statements.clear();
    this.findStatements.clear();
  }

  private hasTable(collection: string): boolean {
    if (this.tables.has(collection)) return true;
    // Another connection (a projector process) may have created it since.
    if (this.tableExists.get(`view_${collection}`) === undefined) return false;
    this.tables.add(collection);
    return true;
  }

  private createTable(collection: string): void {
    if (this.tables.has(collection)) return;
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${tableName(collection)} ` +
        '(id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID',
    );
    this.tables.add(collection);
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
    const statements: CollectionStatements = {
      get: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
      upsert: this.db.prepare(
        `INSERT INTO ${table} (id, doc, position) VALUES (?, ?, ?) ` +
          'ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, position = excluded.position',
      ),
      delete: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
    };
    this.statements.set(collection, statements);
    return statements;
  }
}

/** A condition that `field` equals one of `values`, with JSON types compared strictly (1 ≠ true ≠ "1"). */
function equalsAny(field: string, values: Scalar[], params: unknown[]): string {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const expr = fieldExpr(field);
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

function buildWhere(where: Where, params: unknown[]): string[] {
  const conditions: string[] = [];
  for (const [field, condition] of Object.entries(where)) {
    assertFieldName(field);
    if (condition !== null && typeof condition === 'object') {
      const values = (condition as { in?: unknown }).in;
      if (!Array.isArray(values) || Object.keys(condition).length !== 1) {
        throw new TypeError(`find: the condition on ${field} must be a scalar or { in: [...] }`);
      }
      for (const value of values) assertScalar(field, value);
      conditions.push(equalsAny(field, values as Scalar[], params));
    } else {
      assertScalar(field, condition);
      conditions.push(equalsAny(field, [condition], params));
    }
  }
  return conditions;
}

function buildFind(collection: string, query: FindQuery, params: unknown[]): string {
  let sql = `SELECT doc FROM ${tableName(collection)}`;
  const conditions = query.where ? buildWhere(query.where, params) : [];
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  const order: string[] = [];
  for (const { field, direction = 'asc' } of query.orderBy ?? []) {
    assertFieldName(field);
    if (direction !== 'asc' && direction !== 'desc') throw new TypeError(`find: bad direction ${String(direction)}`);
    order.push(`${fieldExpr(field)} ${direction.toUpperCase()}`);
  }
  // The id breaks ties, so the order (and what a limit keeps) is deterministic.
  if (!order.some((term) => term.startsWith('id '))) order.push('id ASC');
  sql += ` ORDER BY ${order.join(', ')}`;
  if (query.limit !== undefined) {
    if (!Number.isSafeInteger(query.limit) || query.limit < 0) {
      throw new TypeError(`find: limit must be a non-negative integer, got ${String(query.limit)}`);
    }
    sql += ' LIMIT ?';
    params.push(query.limit);
  }
  return sql;
}
