import type Database from 'better-sqlite3';
import { isDuplicateKey } from '#mongo';
import { AccessCollection } from '../../infrastructure/mongo-access-stores.js';
import type { AccessRecords } from '../../infrastructure/access-records.module.js';

/**
 * One digest of one day for one recipient (`department:<key>` or `owner:<email>`). Claimed as
 * `sending` before anything is sent and marked `sent` after: a process killed in between leaves
 * `sending` behind, which no run takes again (at most once; the operator sees it in the run's answer).
 */
export interface DigestRecord {
  date: string;
  recipient: string;
  state: 'sending' | 'sent';
  startedAt: string;
  finishedAt?: string;
  /** What the sending did: e-mail sent / not configured / failed, webhooks delivered. */
  outcome?: Record<string, unknown>;
}

export const DIGEST_LOG = Symbol('DIGEST_LOG');

export interface DigestLog {
  /** Records the digest as `sending` unless any process recorded it before; true when this call did. */
  claim(date: string, recipient: string, startedAt: string): Promise<boolean>;
  finish(date: string, recipient: string, finishedAt: string, outcome: Record<string, unknown>): Promise<void>;
  get(date: string, recipient: string): Promise<DigestRecord | null>;
}

export function createDigestLog(records: AccessRecords): DigestLog {
  return records.mongo ? new MongoDigestLog(records.mongo) : new SqliteDigestLog(records.sqlite!);
}

interface DigestRow {
  date: string;
  recipient: string;
  state: DigestRecord['state'];
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
}

export class SqliteDigestLog implements DigestLog {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS digests_sent (
      date TEXT NOT NULL, recipient TEXT NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL,
      finished_at TEXT, outcome TEXT, PRIMARY KEY (date, recipient))`);
  }

  async claim(date: string, recipient: string, startedAt: string): Promise<boolean> {
    // The primary key decides between processes; synchronous = FULL makes the claim durable before anything is sent.
    const sql = "INSERT OR IGNORE INTO digests_sent (date, recipient, state, started_at) VALUES (?, ?, 'sending', ?)";
    return this.db.prepare(sql).run(date, recipient, startedAt).changes === 1;
  }

  async finish(date: string, recipient: string, finishedAt: string, outcome: Record<string, unknown>): Promise<void> {
    const sql = "UPDATE digests_sent SET state = 'sent', finished_at = ?, outcome = ? WHERE date = ? AND recipient = ?";
    this.db.prepare(sql).run(finishedAt, JSON.stringify(outcome), date, recipient);
  }

  async get(date: string, recipient: string): Promise<DigestRecord | null> {
    const row = this.db.prepare('SELECT * FROM digests_sent WHERE date = ? AND recipient = ?').get(date, recipient) as DigestRow | undefined;
    if (!row) return null;
    return {
      date: row.date,
      recipient: row.recipient,
      state: row.state,
      startedAt: row.started_at,
      ...(row.finished_at !== null && { finishedAt: row.finished_at }),
      ...(row.outcome !== null && { outcome: JSON.parse(row.outcome) as Record<string, unknown> }),
    };
  }
}

/** `{ _id: "<date> <recipient>", date, recipient, state, startedAt, finishedAt?, outcome? }` in `digests_sent`. */
type DigestDocument = { _id: string } & DigestRecord;

const idOf = (date: string, recipient: string) => `${date} ${recipient}`;

export class MongoDigestLog implements DigestLog {
  private readonly digests: AccessCollection<DigestDocument>;

  constructor(connection: NonNullable<AccessRecords['mongo']>) {
    this.digests = new AccessCollection<DigestDocument>(connection, 'digests_sent', async () => undefined);
  }

  async claim(date: string, recipient: string, startedAt: string): Promise<boolean> {
    return this.digests.run('recording a digest', async (c) => {
      try {
        // Majority and journaled: the claim survives a failover before anything is sent.
        await c.insertOne({ _id: idOf(date, recipient), date, recipient, state: 'sending', startedAt }, { writeConcern: { w: 'majority', j: true } });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  async finish(date: string, recipient: string, finishedAt: string, outcome: Record<string, unknown>): Promise<void> {
    await this.digests.run('recording a sent digest', (c) => c.updateOne({ _id: idOf(date, recipient) }, { $set: { state: 'sent', finishedAt, outcome } }));
  }

  async get(date: string, recipient: string): Promise<DigestRecord | null> {
    const doc = await this.digests.run('reading a digest', (c) => c.findOne({ _id: idOf(date, recipient) }));
    if (!doc) return null;
    const { _id: _key, ...record } = doc;
    return record;
  }
}
