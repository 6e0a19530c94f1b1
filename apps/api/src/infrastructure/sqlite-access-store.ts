import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyStore, IdempotentAnswer } from '../auth/idempotency.js';
import type { Principal, PrincipalStore, StoredPrincipal } from '../auth/principal.js';

interface PrincipalRow {
  id: string;
  name: string;
  role: Principal['role'];
  department: string | null;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

const toPrincipal = (row: PrincipalRow): StoredPrincipal => ({
  id: row.id,
  name: row.name,
  role: row.role,
  ...(row.department && { department: row.department as Principal['department'] }),
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  ...(row.revoked_at && { revokedAt: row.revoked_at }),
});

const withoutHash = ({ tokenHash: _hash, ...principal }: StoredPrincipal): Principal => principal;

/** The embedded database of principals and idempotent answers: state that is not rebuilt from events. */
export function openAccessDatabase(filename: string): Database.Database {
  mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
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
  return db;
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
    this
      .prepare('INSERT INTO principals (id, name, role, department, token_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(p.id, p.name, p.role, p.department ?? null, p.tokenHash, p.createdAt, p.revokedAt ?? null);
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
    const row = this.prepare('SELECT answer FROM idempotent_answers WHERE principal_id = ? AND key = ?').get(principalId, key) as { answer: string } | undefined;
    return row ? (JSON.parse(row.answer) as IdempotentAnswer) : null;
  }

  async put(principalId: string, key: string, answer: IdempotentAnswer): Promise<void> {
    this
      .prepare('INSERT OR IGNORE INTO idempotent_answers (principal_id, key, answer, created_at) VALUES (?, ?, ?, ?)')
      .run(principalId, key, JSON.stringify(answer), new Date().toISOString());
  }
}
