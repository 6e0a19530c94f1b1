import type Database from 'better-sqlite3';

/**
 * Puts a SQLite file in WAL mode. Several processes opening one new file at once (N instances
 * started together on an empty DATA_DIR) race for the switch, and SQLite answers SQLITE_BUSY to
 * the losers without calling the busy handler, so the switch is retried until `timeoutMs`.
 * Returns the journal mode the file ends in.
 */
export function enableWal(db: Database.Database, timeoutMs = 5000): string {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      return String(db.pragma('journal_mode = WAL', { simple: true }));
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait); // a short synchronous pause: this runs while opening
    }
  }
}
