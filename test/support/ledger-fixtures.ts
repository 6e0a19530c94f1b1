import Database from 'better-sqlite3';
import { join } from 'node:path';
import { chain } from '#event-store';
import type { SignedHead } from '#ledger';
import type { TestApp } from './test-app.js';
import { bearer } from './test-app.js';

/** Polls GET /v1/ledger/head until a signed head covers `size` events (bounded: 10 s). */
export async function headCovering(t: TestApp, token: string, size: number): Promise<SignedHead> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await t.http.get('/v1/ledger/head').set(bearer(token));
    if (response.status === 200 && response.body.treeSize >= size) return response.body;
    if (Date.now() > deadline) throw new Error(`no signed head covers ${size} events: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Row {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

/**
 * Appends, straight into a stopped store's events.sqlite, an event correctly chained to the
 * stream's last one (hash recomputed): what someone with write access to DATA_DIR could forge.
 */
export function forgeAppend(dataDir: string, streamId: string, type: string, data: Record<string, unknown>, actor: Record<string, unknown>): void {
  const db = new Database(join(dataDir, 'events.sqlite'));
  try {
    const last = db.prepare<[string], Row>('SELECT * FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').get(streamId)!;
    const previous = JSON.parse(last.metadata) as Record<string, unknown>;
    const { hash: _h, prevHash: _p, mac: _m, ...rest } = previous;
    const revision = last.revision + 1;
    const metadata = chain({ streamId, revision, type, data, metadata: { ...rest, actor } }, String(previous.hash));
    db.prepare('INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      streamId,
      revision,
      `forged-${revision}-${streamId}`,
      type,
      JSON.stringify(data),
      JSON.stringify(metadata),
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

/** Runs SQL on a stopped store's events.sqlite. */
export function tamper(dataDir: string, ...statements: Array<[sql: string, ...params: unknown[]]>): void {
  const db = new Database(join(dataDir, 'events.sqlite'));
  try {
    db.transaction(() => statements.forEach(([sql, ...params]) => db.prepare(sql).run(...params)))();
  } finally {
    db.close();
  }
}

/** Recomputes an event's hash in place after its metadata was changed (what a careful forger does). */
export function rehash(dataDir: string, streamId: string, fromRevision: number): void {
  const db = new Database(join(dataDir, 'events.sqlite'));
  try {
    db.transaction(() => {
      const rows = db
        .prepare<[string, number], Row>('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision')
        .all(streamId, fromRevision);
      const before = db.prepare<[string, number], Row>('SELECT * FROM events WHERE stream_id = ? AND revision = ?').get(streamId, fromRevision - 1);
      let prevHash = before ? String(JSON.parse(before.metadata).hash) : '0'.repeat(64);
      for (const row of rows) {
        const { hash: _h, prevHash: _p, ...metadata } = JSON.parse(row.metadata) as Record<string, unknown>;
        const chained = chain({ streamId, revision: row.revision, type: row.type, data: JSON.parse(row.data), metadata }, prevHash);
        db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(JSON.stringify(chained), row.position);
        prevHash = String(chained.hash);
      }
    })();
  } finally {
    db.close();
  }
}
