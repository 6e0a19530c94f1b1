import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LeaseHolder, LeaseStore } from './lease-store.port.js';
import { enableWal } from '#event-store';

/**
 * The process an owner named `host:pid:…` (see leaseOwner) runs as, when it is on this host and
 * certainly gone: its lease need not run out before another takes it (a restart after a crash
 * projects and delivers at once). A pid that exists (even reused) counts as alive.
 */
export function isDeadOwnerOnThisHost(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The leases file in DATA_DIR, shared by every process on it. */
export const LEASES_FILE = 'leases.sqlite';

interface LeaseRow {
  owner: string;
  expires_at: number;
}

/**
 * Leases in an SQLite file beside the embedded stores, for the processes sharing one DATA_DIR (so
 * one machine: expiry is judged by its wall clock). Taking, renewing and releasing are one
 * statement each, atomic under SQLite's write lock; WAL and a busy timeout let several processes
 * contend without errors. A lease whose owner process is gone from this host is taken at once.
 */
export class SqliteLeaseStore implements LeaseStore {
  private readonly db: Database.Database;
  private readonly take: Database.Statement;
  private readonly drop: Database.Statement;
  private readonly read: Database.Statement;
  private readonly takeFromDead: Database.Statement;

  constructor(
    filename: string,
    private readonly clock: () => number = Date.now,
  ) {
    mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename, { timeout: 2000 });
    enableWal(this.db);
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS leases (
      name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL, acquired_at INTEGER NOT NULL, renewed_at INTEGER NOT NULL)`);
    // Inserts a free lease; otherwise updates it only where `owner` holds it already or it has expired.
    this.take = this.db.prepare(`
      INSERT INTO leases (name, owner, expires_at, acquired_at, renewed_at) VALUES (@name, @owner, @expiresAt, @now, @now)
      ON CONFLICT (name) DO UPDATE SET
        acquired_at = CASE WHEN leases.owner = excluded.owner THEN leases.acquired_at ELSE excluded.acquired_at END,
        owner = excluded.owner, expires_at = excluded.expires_at, renewed_at = excluded.renewed_at
      WHERE leases.owner = excluded.owner OR leases.expires_at <= excluded.renewed_at`);
    this.takeFromDead = this.db.prepare(
      'UPDATE leases SET owner = @owner, expires_at = @expiresAt, acquired_at = @now, renewed_at = @now WHERE name = @name AND owner = @dead',
    );
    this.drop = this.db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?');
    this.read = this.db.prepare('SELECT owner, expires_at FROM leases WHERE name = ?');
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const expiresAt = now + Math.max(1, Math.trunc(ttlMs));
    if (this.take.run({ name, owner, expiresAt, now }).changes === 1) return true;
    const holder = this.read.get(name) as LeaseRow | undefined;
    // Compare-and-set on the dead owner: of several processes seeing it dead, one takes the lease.
    return (
      holder !== undefined && isDeadOwnerOnThisHost(holder.owner) && this.takeFromDead.run({ name, owner, expiresAt, now, dead: holder.owner }).changes === 1
    );
  }

  async release(name: string, owner: string): Promise<void> {
    this.drop.run(name, owner);
  }

  async holder(name: string): Promise<LeaseHolder | null> {
    const row = this.read.get(name) as LeaseRow | undefined;
    return row && row.expires_at > this.clock() ? { owner: row.owner, expiresAt: row.expires_at } : null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
