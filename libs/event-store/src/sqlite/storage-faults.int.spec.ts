import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, type EventToAppend } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

/**
 * Real SQLite fault paths, no test hooks: a size quota (PRAGMA max_page_count → SQLITE_FULL, as on
 * a full disk), another connection holding the write lock (SQLITE_BUSY), an unopenable path.
 */
describe('SqliteEventStore storage faults', () => {
  let dir: string;
  let filename: string;
  const opened: SqliteEventStore[] = [];

  const open = (options: Partial<ConstructorParameters<typeof SqliteEventStore>[0]> = {}) => {
    const store = new SqliteEventStore({ filename, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-faults-'));
    filename = join(dir, 'events.sqlite');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects every append of a batch that fills the store, acknowledges and writes none of them', async () => {
    const store = open({ maxSizeBytes: 64 * 1024 });
    let commits = 0;
    store.onCommitted(() => (commits += 1));
    const big = Array.from({ length: 10 }, (_, i) => ({ streamId: `big-${i}`, events: events(1, 8 * 1024) }));

    const outcomes = await Promise.allSettled(big.map((b) => store.append(b.streamId, b.events, 'no_stream')));

    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as EventStoreUnavailableError;
      expect(reason).toBeInstanceOf(EventStoreUnavailableError);
      expect(reason.message).toMatch(/SQLITE_FULL/);
    }
    // One transaction for the batch, rolled back whole: nothing committed, although the first few would fit alone.
    expect(commits).toBe(0);
    expect(await store.headPosition()).toBe(0);

    // The same instance keeps working for what still fits…
    expect(await store.append('small', events(1, 10), 'no_stream')).toEqual({ revision: 0, position: 1, firstPosition: 1, divergent: false });
    await store.close();

    // …and everything fits again once the limit is raised.
    const roomy = open();
    const results = await Promise.all(big.map((b) => roomy.append(b.streamId, b.events, 'no_stream')));
    expect(results.map((r) => r.revision)).toEqual(big.map(() => 0));
    expect(await roomy.headPosition()).toBe(11);
  });

  it('rejects appends while another connection holds the write lock, and recovers once it is released', async () => {
    const store = open({ busyTimeoutMs: 50 });
    await store.append('locked', events(1), 'no_stream');
    const other = new Database(filename);
    try {
      other.exec('BEGIN IMMEDIATE');

      const outcomes = await Promise.allSettled([store.append('locked', events(1), 0), store.append('other', events(1), 'no_stream')]);
      for (const outcome of outcomes) {
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(EventStoreUnavailableError);
      }
      // Reads go on during the outage (WAL), so ping still answers.
      await expect(store.ping()).resolves.toBeUndefined();

      other.exec('ROLLBACK');

      expect((await store.append('locked', events(1), 0)).revision).toBe(1);
      expect((await store.append('other', events(1), 'no_stream')).revision).toBe(0);
    } finally {
      other.close();
    }
  });

  it('throws EventStoreUnavailableError when the file cannot be opened', () => {
    const aFolder = join(dir, 'not-a-file');
    mkdirSync(aFolder);

    expect(() => new SqliteEventStore({ filename: aFolder })).toThrow(EventStoreUnavailableError);
  });

  it('is unavailable after close: append, reads and ping fail with EventStoreUnavailableError', async () => {
    const store = open();
    await store.append('closed', events(1), 'no_stream');
    await store.close();

    await expect(store.append('closed', events(1), 0)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(drain(store.readStream('closed'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(drain(store.readAll())).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(() => store.subscribeToAll({ after: 0 })).toThrow(EventStoreUnavailableError);
  });
});

function events(count: number, payloadBytes = 10): EventToAppend[] {
  return Array.from({ length: count }, () => ({
    eventId: randomUUID(),
    type: 'Tested',
    data: { payload: 'x'.repeat(payloadBytes) },
    metadata: {},
  }));
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) {
    // consume
  }
}
