import type Database from 'better-sqlite3';
import { openAccessDatabase } from '../../infrastructure/sqlite-access-store.js';
import type { DeliveryAttempt, Webhook } from '../webhook.js';
import type { AttemptOutcome, AttemptRef, WebhookStore } from './webhook-store.port.js';

/** Attempts kept per webhook; older ones are pruned as new ones are recorded. */
export const ATTEMPTS_KEPT = 1000;

interface WebhookRow {
  id: string;
  url: string;
  events: string | null;
  secret: string;
  secret_key_id: string | null;
  created_at: string;
  checkpoint: number;
  generation: number;
}

interface AttemptRow {
  webhook_id: string;
  event_id: string;
  position: number;
  type: string;
  launch_id: string;
  attempt: number;
  status: DeliveryAttempt['status'];
  http_status: number | null;
  error: string | null;
  at: string;
  duration_ms: number;
}

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  events: row.events === null ? null : (JSON.parse(row.events) as string[]),
  secret: row.secret,
  ...(row.secret_key_id !== null && { secretKeyId: row.secret_key_id }),
  createdAt: row.created_at,
  checkpoint: row.checkpoint,
  generation: row.generation,
});

const toAttempt = (row: AttemptRow): DeliveryAttempt => ({
  webhookId: row.webhook_id,
  eventId: row.event_id,
  position: row.position,
  type: row.type,
  launchId: row.launch_id,
  attempt: row.attempt,
  status: row.status,
  ...(row.http_status !== null && { httpStatus: row.http_status }),
  ...(row.error !== null && { error: row.error }),
  at: row.at,
  durationMs: row.duration_ms,
});

/**
 * Webhooks in the embedded access database (DATA_DIR/access.sqlite, beside the principals): state
 * that is not rebuilt from events. Secrets arrive sealed (WebhookSecrets); `secure_delete` zeroes
 * what a replaced clear-text secret leaves in the file.
 */
export class SqliteWebhookStore implements WebhookStore {
  /** Old attempts are pruned every this many inserts. */
  private readonly pruneEvery: number;

  private constructor(
    private readonly db: Database.Database,
    private readonly attemptsKept: number,
  ) {
    this.pruneEvery = Math.max(1, Math.floor(attemptsKept / 10));
    db.pragma('secure_delete = ON');
    db.exec(`
      CREATE TABLE IF NOT EXISTS webhooks (
        id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT, secret TEXT NOT NULL, created_at TEXT NOT NULL,
        checkpoint INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0, secret_key_id TEXT);
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT NOT NULL, event_id TEXT NOT NULL,
        position INTEGER NOT NULL, type TEXT NOT NULL, launch_id TEXT NOT NULL, attempt INTEGER NOT NULL,
        status TEXT NOT NULL, http_status INTEGER, error TEXT, at TEXT NOT NULL, duration_ms INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
    `);
    // Files from before secrets were sealed get the column; IMMEDIATE so two processes do not both add it.
    db.transaction(() => {
      const columns = db.prepare('PRAGMA table_info(webhooks)').all() as Array<{ name: string }>;
      if (!columns.some((c) => c.name === 'secret_key_id')) db.exec('ALTER TABLE webhooks ADD COLUMN secret_key_id TEXT');
    }).immediate();
  }

  /** Opens (and creates the tables of) the access database file. */
  static open(filename: string, options: { attemptsKept?: number } = {}): SqliteWebhookStore {
    return new SqliteWebhookStore(openAccessDatabase(filename), options.attemptsKept ?? ATTEMPTS_KEPT);
  }

  async add(w: Webhook): Promise<void> {
    this.db
      .prepare('INSERT INTO webhooks (id, url, events, secret, secret_key_id, created_at, checkpoint, generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(w.id, w.url, w.events === null ? null : JSON.stringify(w.events), w.secret, w.secretKeyId ?? null, w.createdAt, w.checkpoint, w.generation);
  }

  async get(id: string): Promise<Webhook | null> {
    const row = this.db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row ? toWebhook(row) : null;
  }

  async list(): Promise<Webhook[]> {
    return (this.db.prepare('SELECT * FROM webhooks ORDER BY created_at, id').all() as WebhookRow[]).map(toWebhook);
  }

  async remove(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(id);
      return this.db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes === 1;
    })();
  }

  async advance(id: string, generation: number, position: number): Promise<boolean> {
    return (
      this.db.prepare('UPDATE webhooks SET checkpoint = ? WHERE id = ? AND generation = ? AND checkpoint < ?').run(position, id, generation, position)
        .changes === 1
    );
  }

  async sealSecret(id: string, sealed: string, keyId: string): Promise<boolean> {
    const changed =
      this.db.prepare('UPDATE webhooks SET secret = ?, secret_key_id = ? WHERE id = ? AND secret_key_id IS NULL').run(sealed, keyId, id).changes === 1;
    // The clear value's page images in the WAL go too (best effort: a reader holding an old snapshot keeps them until the next checkpoint).
    if (changed) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return changed;
  }

  async rewind(id: string, after: number): Promise<Webhook | null> {
    const changed = this.db.prepare('UPDATE webhooks SET checkpoint = ?, generation = generation + 1 WHERE id = ?').run(after, id).changes;
    return changed === 1 ? this.get(id) : null;
  }

  async recordAttempt(a: DeliveryAttempt): Promise<AttemptRef> {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO webhook_deliveries (webhook_id, event_id, position, type, launch_id, attempt, status, http_status, error, at, duration_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(a.webhookId, a.eventId, a.position, a.type, a.launchId, a.attempt, a.status, a.httpStatus ?? null, a.error ?? null, a.at, a.durationMs);
      if (Number(lastInsertRowid) % this.pruneEvery === 0) {
        this.db
          .prepare(
            `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND seq <= (
               SELECT seq FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
          )
          .run(a.webhookId, a.webhookId, this.attemptsKept);
      }
      return Number(lastInsertRowid);
    })();
  }

  async finishAttempt(ref: AttemptRef, o: AttemptOutcome): Promise<void> {
    this.db
      .prepare('UPDATE webhook_deliveries SET status = ?, http_status = ?, error = ?, at = ?, duration_ms = ? WHERE seq = ?')
      .run(o.status, o.httpStatus ?? null, o.error ?? null, o.at, o.durationMs, ref);
  }

  async attempts(webhookId: string, limit: number): Promise<DeliveryAttempt[]> {
    return (this.db.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?').all(webhookId, limit) as AttemptRow[]).map(
      toAttempt,
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
