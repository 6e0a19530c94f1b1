import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyStore, IdempotentAnswer } from '../auth/idempotency.js';
import type { BootstrapOrigin, Principal, PrincipalStore, StoredPrincipal } from '../auth/principal.js';
import { enableWal } from '#event-store';

interface PrincipalRow {
  id: string;
  name: string;
  role: Principal['role'];
  department: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
  bootstrap: BootstrapOrigin | null;
}

const toPrincipal = (row: PrincipalRow): StoredPrincipal => ({
  id: row.id,
  name: row.name,
  role: row.role,
  ...(row.department && { department: row.department as Principal['department'] }),
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  ...(row.revoked_at && { revokedAt: row.revoked_at }),
  ...(row.bootstrap && { bootstrap: row.bootstrap }),
});

const withoutHash = ({ tokenHash: _hash, bootstrap: _origin, ...principal }: StoredPrincipal): Principal => principal;

const INSERT_COLUMNS = '(id, name, role, department, token_hash, created_at, revoked_at, bootstrap)';
const insertValues = (p: StoredPrincipal) =>
  [p.id, p.name, p.role, p.department ?? null, p.tokenHash, p.createdAt, p.revokedAt ?? null, p.bootstrap ?? null] as const;

/** The embedded database of principals and idempotent answers: state that is not rebuilt from events. */
export function openAccessDatabase(filename: string): Database.Database {
  mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  enableWal(db);
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
      CREATE TABLE IF NOT EXISTS principals (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, department TEXT,
        token_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT);
      CREATE TABLE IF NOT EXISTS idempotent_answers (
        principal_id TEXT NOT NULL, key TEXT NOT NULL, answer TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (principal_id, key));
  `);
  addBootstrapColumn(db);
  return db;
}

/** Databases made before bootstrap admins were marked get the column; IMMEDIATE so two processes do not both add it. */
function addBootstrapColumn(db: Database.Database): void {
  db.transaction(() => {
    const columns = db.prepare('PRAGMA table_info(principals)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'bootstrap')) db.exec('ALTER TABLE principals ADD COLUMN bootstrap TEXT');
  }).immediate();
}

/** Statements prepared once per connection: the auth guard looks a token up on every request. */
function preparedBy(db: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

export class SqlitePrincipalStore implements PrincipalStore {
  private readonly prepare: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.prepare = preparedBy(db);
  }

  async add(p: StoredPrincipal): Promise<void> {
    this.prepare(`INSERT INTO principals ${INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...insertValues(p));
  }

  async addIfAbsent(p: StoredPrincipal): Promise<boolean> {
    // OR IGNORE: the primary key or the token hash's unique index says another process got there first.
    return this.prepare(`INSERT OR IGNORE INTO principals ${INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(...insertValues(p)).changes === 1;
  }

  async addFirst(p: StoredPrincipal): Promise<boolean> {
    // One statement, so the check and the insert happen under the same write lock.
    const sql = `INSERT OR IGNORE INTO principals ${INSERT_COLUMNS} SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM principals)`;
    return this.prepare(sql).run(...insertValues(p)).changes === 1;
  }

  async markBootstrapAdmin(id: string, origin: BootstrapOrigin): Promise<void> {
    this.prepare('UPDATE principals SET bootstrap = ? WHERE id = ? AND bootstrap IS NULL').run(origin, id);
  }

  async revokeBootstrapAdmins(origin: BootstrapOrigin, keepId: string, at: string): Promise<number> {
    const sql = 'UPDATE principals SET revoked_at = ? WHERE bootstrap = ? AND id <> ? AND revoked_at IS NULL';
    return this.prepare(sql).run(at, origin, keepId).changes;
  }

  async findByTokenHash(tokenHash: string): Promise<StoredPrincipal | null> {
    const row = this.prepare('SELECT * FROM principals WHERE token_hash = ?').get(tokenHash) as PrincipalRow | undefined;
    return row ? toPrincipal(row) : null;
  }

  async get(id: string): Promise<Principal | null> {
    const row = this.prepare('SELECT * FROM principals WHERE id = ?').get(id) as PrincipalRow | undefined;
    return row ? withoutHash(toPrincipal(row)) : null;
  }

  async list(): Promise<Principal[]> {
    return (this.prepare('SELECT * FROM principals ORDER BY created_at, id').all() as PrincipalRow[]).map((r) => withoutHash(toPrincipal(r)));
  }

  async revoke(id: string, at: string): Promise<boolean> {
    const found = this.prepare('SELECT revoked_at FROM principals WHERE id = ?').get(id) as { revoked_at: string | null } | undefined;
    if (!found) return false;
    if (!found.revoked_at) this.prepare('UPDATE principals SET revoked_at = ? WHERE id = ?').run(at, id);
    return true;
  }

  async count(): Promise<number> {
    return (this.prepare('SELECT COUNT(*) AS n FROM principals').get() as { n: number }).n;
  }

  async ping(): Promise<void> {
    this.prepare('SELECT 1').get();
  }
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly prepare: (sql: string) => Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.prepare = preparedBy(db);
  }

  async get(principalId: string, key: string): Promise<IdempotentAnswer | null> {
    const row = this.prepare('SELECT answer FROM idempotent_answers WHERE principal_id = ? AND key = ?').get(principalId, key) as
      { answer: string } | undefined;
    return row ? (JSON.parse(row.answer) as IdempotentAnswer) : null;
  }

  async put(principalId: string, key: string, answer: IdempotentAnswer): Promise<void> {
    this.prepare('INSERT OR IGNORE INTO idempotent_answers (principal_id, key, answer, created_at) VALUES (?, ?, ?, ?)').run(
      principalId,
      key,
      JSON.stringify(answer),
      new Date().toISOString(),
    );
  }
}
