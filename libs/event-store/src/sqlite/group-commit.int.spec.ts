import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { WrongExpectedRevisionError, type EventToAppend } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describe('SqliteEventStore group commit', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-group-commit-'));
    filename = join(dir, 'events.sqlite');
    store = new SqliteEventStore({ filename });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes 200 concurrent appends in far fewer transactions than appends', async () => {
    const streams = Array.from({ length: 200 }, (_, i) => `batch-${i}`);

    const results = await Promise.all(streams.map((s) => store.append(s, events(1), 'no_stream')));

    expect(results).toHaveLength(200);
    expect(new Set(results.map((r) => r.position)).size).toBe(200);
    const { transactions, appends, events: written } = store.stats();
    expect(appends).toBe(200);
    expect(written).toBe(200);
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThanOrEqual(2);
  });

  it('commits on the append worker, and appends queued while a batch commits go together in the next one', async () => {
    expect(store.stats().writer).toBe('worker');
    const first = store.append('first', events(1), 'no_stream');
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now in flight, alone

    const queued = Array.from({ length: 50 }, (_, i) => store.append(`queued-${i}`, events(1), 'no_stream'));
    await Promise.all([first, ...queued]);

    expect(store.stats()).toMatchObject({ transactions: 2, appends: 51, writer: 'worker' });
  });

  it('keeps the WAL bounded while appends keep coming (it starts over past maxWalBytes)', async () => {
    const bounded = new SqliteEventStore({ filename: join(dir, 'bounded.sqlite'), maxWalBytes: 256 * 1024 });
    try {
      const data = { note: 'x'.repeat(2000) };
      let largest = 0;
      for (let round = 0; round < 40; round++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            bounded.append(`wal-${round}-${i}`, [{ eventId: randomUUID(), type: 'Tested', data, metadata: {} }], 'no_stream'),
          ),
        );
        largest = Math.max(largest, statSync(join(dir, 'bounded.sqlite-wal')).size);
      }

      // 800 events of ~2 KB went through; without restarts the WAL holds them all (> 2 MB).
      expect(bounded.stats().events).toBe(800);
      expect(largest).toBeLessThan(1024 * 1024);
    } finally {
      await bounded.close();
    }
  });

  it('commits on the event loop when the store is in memory', async () => {
    const inMemory = new SqliteEventStore({ filename: ':memory:' });
    try {
      await inMemory.append('s', events(2), 'no_stream');

      expect(inMemory.stats()).toMatchObject({ transactions: 1, events: 2, writer: 'event-loop' });
    } finally {
      await inMemory.close();
    }
  });

  it('acknowledges an append only once it is committed (visible to another connection)', async () => {
    const reader = new Database(filename, { readonly: true });
    try {
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store
            .append(`visible-${i}`, events(1), 'no_stream')
            .then(({ position }) => reader.prepare('SELECT count(*) AS n FROM events WHERE position = ?').get(position) as { n: number }),
        ),
      );
      expect(seen.map((row) => row.n)).toEqual(Array.from({ length: 20 }, () => 1));
    } finally {
      reader.close();
    }
  });

  it('starts a new transaction when maxAppendsPerTransaction appends are queued', async () => {
    const capped = new SqliteEventStore({ filename: join(dir, 'capped.sqlite'), maxAppendsPerTransaction: 50 });
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => capped.append(`capped-${i}`, events(1), 'no_stream')));

      expect(capped.stats()).toMatchObject({ transactions: 4, appends: 200, events: 200 });
    } finally {
      await capped.close();
    }
  });

  it('fails only the conflicting append of a batch; the others commit in the same transaction', async () => {
    await store.append('conflict', events(1), 'no_stream');
    const before = store.stats().transactions;

    const outcomes = await Promise.allSettled([
      store.append('ok-1', events(2), 'no_stream'),
      store.append('conflict', events(1), 'no_stream'),
      store.append('ok-2', events(1), 'no_stream'),
      store.append('conflict', events(1), 0),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(store.stats().transactions).toBe(before + 1);
    expect(await revisions('ok-1')).toEqual([0, 1]);
    expect(await revisions('ok-2')).toEqual([0]);
    expect(await revisions('conflict')).toEqual([0, 1]);
  });

  it('lets a later append of the same batch see an earlier one on the same stream', async () => {
    const before = store.stats().transactions;

    const [first, second, third] = await Promise.all([
      store.append('chain', events(2), 'no_stream'),
      store.append('chain', events(1), 1),
      store.append('chain', events(1), 'stream_exists'),
    ]);

    expect([first.revision, second.revision, third.revision]).toEqual([1, 2, 3]);
    expect(second.position).toBeGreaterThan(first.position);
    expect(store.stats().transactions).toBe(before + 1);
  });

  it('rolls back a failed append entirely, even after an earlier append of the batch wrote the same stream', async () => {
    const outcomes = await Promise.allSettled([
      store.append('partial', events(1), 'no_stream'),
      store.append('partial', events(3), 5),
      store.append('partial', events(1), 0),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await revisions('partial')).toEqual([0, 1]);
  });

  it('treats a repeat queued in the same batch as idempotent', async () => {
    const batch = events(3);

    const [first, repeat] = await Promise.all([store.append('repeat', batch, 'no_stream'), store.append('repeat', batch, 'no_stream')]);

    expect(repeat).toEqual(first);
    expect(await revisions('repeat')).toEqual([0, 1, 2]);
    expect(store.stats()).toMatchObject({ appends: 2, events: 3 });
  });

  async function revisions(streamId: string): Promise<number[]> {
    const found: number[] = [];
    for await (const event of store.readStream(streamId)) found.push(event.revision);
    return found;
  }
});

function events(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Tested',
    data: { i },
    metadata: {},
  }));
}
