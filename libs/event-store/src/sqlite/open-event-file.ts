import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { enableWal } from './enable-wal.js';
import { migrate } from './schema.js';
import { toStoreError } from './sqlite-errors.js';

export interface EventFileSettings {
  busyTimeoutMs?: number;
  maxSizeBytes?: number;
  maxWalBytes: number;
  /** Create or update the schema (not for a connection that only reads beside the writer). */
  migrate: boolean;
}

/**
 * Opens the event log's file (its folder created) with the writer's settings: WAL, synchronous=FULL,
 * no automatic checkpoints (see WalCheckpointer), the WAL truncated back to `maxWalBytes` when it
 * restarts, and the size quota as a page count. A failure is an EventStoreUnavailableError.
 */
export function openEventFile(filename: string, settings: EventFileSettings): { db: Database.Database; maxPageCount: number | undefined } {
  const inMemory = filename === ':memory:' || filename === '';
  let db: Database.Database | undefined;
  try {
    if (!inMemory) mkdirSync(dirname(filename), { recursive: true });
    db = new Database(filename, { timeout: settings.busyTimeoutMs ?? 5000 });
    const journalMode = enableWal(db, settings.busyTimeoutMs ?? 5000);
    if (!inMemory && journalMode !== 'wal') throw new Error(`cannot use WAL mode (journal_mode is ${String(journalMode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('wal_autocheckpoint = 0'); // see WalCheckpointer
    db.pragma(`journal_size_limit = ${settings.maxWalBytes}`); // shrink a WAL grown by a burst once it restarts
    if (settings.migrate) migrate(db);
    let maxPageCount: number | undefined;
    if (settings.maxSizeBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      maxPageCount = Math.max(1, Math.floor(settings.maxSizeBytes / pageSize));
      db.pragma(`max_page_count = ${maxPageCount}`);
    }
    return { db, maxPageCount };
  } catch (error) {
    db?.close();
    throw toStoreError(error, `opening ${filename}`);
  }
}
