import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order. `PRAGMA user_version` holds how many have been applied,
 * so append a new function to evolve the schema; never edit a released one.
 */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: the log. `position` is the global order ($all); AUTOINCREMENT so a position is never
  // reused, and the first event gets 1. UNIQUE(stream_id, revision) is also the index that
  // reads a stream and finds its head.
  (db) =>
    db.exec(`
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL CHECK (revision >= 0),
        event_id    TEXT    NOT NULL UNIQUE,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream_id, revision)
      ) STRICT;
    `),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema to SCHEMA_VERSION in one write transaction (safe if two processes race). */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`event store schema version ${version} is newer than this code supports (${SCHEMA_VERSION})`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v](db);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
