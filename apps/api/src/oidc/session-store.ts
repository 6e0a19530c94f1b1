import Database from 'better-sqlite3';
import { isMongoUnavailable, MongoConnection } from '#mongo';
import type { Actor } from '#launch';
import type { Collection } from 'mongodb';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { redactUrl } from '#platform';
import { enableWal, StoreUnavailableError } from '#event-store';

/** A dashboard session made by single sign-on: the person it stands for, until it expires or is signed out. */
export interface SignInSession {
  /** SHA-256 of the session's bearer token (the token itself is never stored). */
  tokenHash: string;
  actor: Actor;
  createdAt: string;
  expiresAt: string;
}

export const SESSION_STORE = Symbol('SESSION_STORE');

/** Kept beside the principals (SQLite in DATA_DIR, or MongoDB), so every process sees a sign-out at once. */
export interface SessionStore {
  add(session: SignInSession): Promise<void>;
  /** The unexpired session with this token hash. */
  find(tokenHash: string, now: Date): Promise<SignInSession | null>;
  /** Ends the session; false when there was none. */
  end(tokenHash: string): Promise<boolean>;
  close(): Promise<void>;
}

export function createSessionStore(config: AppConfig): SessionStore {
  return config.mongodbUrl ? new MongoSessionStore(config.mongodbUrl) : new SqliteSessionStore(join(config.dataDir, 'sessions.sqlite'));
}

interface SessionRow {
  token_hash: string;
  actor: string;
  created_at: string;
  expires_at: string;
}

export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;

  constructor(filename: string) {
    mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    enableWal(this.db);
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      token_hash TEXT PRIMARY KEY, actor TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires_at)`);
  }

  async add(session: SignInSession): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(session.createdAt);
      this.db
        .prepare('INSERT INTO sessions (token_hash, actor, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(session.tokenHash, JSON.stringify(session.actor), session.createdAt, session.expiresAt);
    })();
  }

  async find(tokenHash: string, now: Date): Promise<SignInSession | null> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?').get(tokenHash, now.toISOString()) as SessionRow | undefined;
    return row ? { tokenHash: row.token_hash, actor: JSON.parse(row.actor) as Actor, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async end(tokenHash: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

interface SessionDocument {
  _id: string;
  actor: Actor;
  createdAt: Date;
  /** A TTL index removes the document some time after this. */
  expiresAt: Date;
}

/** Sessions cannot be read or written now (HTTP 503, like every unavailable store). */
export class SessionStoreUnavailableError extends StoreUnavailableError {}

export class MongoSessionStore implements SessionStore {
  private readonly connection: MongoConnection;
  private indexed: Promise<unknown> | undefined;

  /** `databaseName`: the URL's by default (tests pass a fresh one). */
  constructor(url: string, databaseName?: string) {
    this.connection = new MongoConnection({ url, label: redactUrl(url), databaseName });
  }

  private async sessions<R>(operation: (c: Collection<SessionDocument>) => Promise<R>): Promise<R> {
    try {
      const collection = (await this.connection.db()).collection<SessionDocument>('sessions');
      this.indexed ??= collection.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 }).catch((error: unknown) => {
        this.indexed = undefined;
        throw error;
      });
      await this.indexed;
      return await operation(collection);
    } catch (error) {
      if (isMongoUnavailable(error)) throw new SessionStoreUnavailableError(`sessions: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  async add(session: SignInSession): Promise<void> {
    const doc = { _id: session.tokenHash, actor: session.actor, createdAt: new Date(session.createdAt), expiresAt: new Date(session.expiresAt) };
    await this.sessions((c) => c.insertOne(doc));
  }

  async find(tokenHash: string, now: Date): Promise<SignInSession | null> {
    const doc = await this.sessions((c) => c.findOne({ _id: tokenHash, expiresAt: { $gt: now } }));
    return doc ? { tokenHash: doc._id, actor: doc.actor, createdAt: doc.createdAt.toISOString(), expiresAt: doc.expiresAt.toISOString() } : null;
  }

  async end(tokenHash: string): Promise<boolean> {
    return (await this.sessions((c) => c.deleteOne({ _id: tokenHash }))).deletedCount > 0;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
