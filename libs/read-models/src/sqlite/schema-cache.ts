import type Database from 'better-sqlite3';
import { assertCollectionName } from '../names.js';
import { prepareCollectionStatements, type CollectionStatements, type Statement } from './collection-statements.js';
import { BASE_COLUMNS, tableName } from './view-columns.js';

/** At most this many find statements are kept prepared (then the cache starts over). */
const MAX_FIND_STATEMENTS = 500;

/**
 * What one connection has learnt of the schema (which collection tables exist, their columns) and
 * the statements prepared from it. Another connection (a projector process, the API beside its
 * projector thread) may create tables or add columns at any time: `sync` forgets everything once
 * SQLite's schema version has moved, so statements are prepared again with the columns the tables
 * have now.
 */
export class SchemaCache {
  /** Collections whose table is known to exist. */
  private readonly tables = new Set<string>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly findStatements = new Map<string, Statement>();
  private readonly tableExists: Statement;
  private readonly readSchemaVersion: Statement;
  /** The schema version the cached statements and columns were learnt at (-1: unknown). */
  private schemaVersion = -1;

  constructor(private readonly db: Database.Database) {
    this.tableExists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    this.readSchemaVersion = db.prepare('PRAGMA schema_version').pluck();
    this.sync();
  }

  /** Forgets the tables, columns and statements learnt so far. */
  forget(): void {
    this.tables.clear();
    this.statements.clear();
    this.findStatements.clear();
    this.schemaVersion = -1;
  }

  /** Forgets what was learnt when the schema has changed since (this connection's DDL or another's). */
  sync(): void {
    const version = this.readSchemaVersion.get() as number;
    if (version === this.schemaVersion) return;
    this.forget();
    this.schemaVersion = version;
  }

  /** The collection's statements, or null while it has no table. */
  forRead(collection: string): CollectionStatements | null {
    const cached = this.statements.get(collection);
    if (cached) return cached;
    if (!this.hasTable(collection)) return null;
    return this.prepare(collection);
  }

  /** The collection's statements, its table created first if needed. */
  forWrite(collection: string): CollectionStatements {
    const cached = this.statements.get(collection);
    if (cached) return cached;
    assertCollectionName(collection);
    if (!this.hasTable(collection)) {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${tableName(collection)} ${BASE_COLUMNS}`);
      this.tables.add(collection);
    }
    return this.prepare(collection);
  }

  /** The prepared statement of a find's SQL (see find-sql.ts). */
  find(sql: string): Statement {
    let statement = this.findStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      if (this.findStatements.size >= MAX_FIND_STATEMENTS) this.findStatements.clear();
      this.findStatements.set(sql, statement);
    }
    return statement;
  }

  private hasTable(collection: string): boolean {
    if (this.tables.has(collection)) return true;
    // Another connection (a projector process) may have created it since.
    if (this.tableExists.get(`view_${collection}`) === undefined) return false;
    this.tables.add(collection);
    return true;
  }

  private prepare(collection: string): CollectionStatements {
    const statements = prepareCollectionStatements(this.db, collection);
    this.statements.set(collection, statements);
    return statements;
  }
}
