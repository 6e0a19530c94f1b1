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

    const commits = countCommits(store);
    const results = await Promise.all(streams.map((s) => store.append(s, events(1), 'no_stream')));

    expect(results).toHaveLength(200);
    expect(new Set(results.map((r) => r.position)).size).toBe(200);
    expect(await store.headPosition()).toBe(200);
    expect(commits()).toBeGreaterThanOrEqual(1);
    expect(commits()).toBeLessThanOrEqual(2);
  });

  it('commits on the append worker (a batch waiting for the write lock leaves the event loop free), and appends queued meanwhile go together in the next one', async () => {
    const commits = countCommits(store);
    const lock = new Database(filename);
    try {
      lock.prepare('BEGIN IMMEDIATE').run(); // another connection holds the write lock
      const first = store.append('first', events(1), 'no_stream');
      const started = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 200)); // the first batch waits for the lock meanwhile, alone
      // A writer on this thread would have held it in SQLite's busy wait (up to 5 s) instead.
      expect(Date.now() - started).toBeLessThan(2500);

      const queued = Array.from({ length: 50 }, (_, i) => store.append(`queued-${i}`, events(1), 'no_stream'));
      lock.prepare('ROLLBACK').run();
      const results = await Promise.all([first, ...queued]);

      expect(results).toHaveLength(51);
      expect(await store.headPosition()).toBe(51);
      expect(commits()).toBe(2);
    } finally {
      if (lock.inTransaction) lock.prepare('ROLLBACK').run();
      lock.close();
    }
  });

  it("calls the appends' beforeWrite when their group is taken to be written, one after another, not when they are queued", async () => {
    const steps: string[] = [];
    const sealed = (name: string) => ({
      beforeWrite: (toWrite: EventToAppend[]) => {
        steps.push(`seal ${name}`);
        for (const event of toWrite) event.metadata.mac = name;
      },
    });
    const lock = new Database(filename);
    try {
      lock.prepare('BEGIN IMMEDIATE').run();
      const first = store.append('first', events(1), 'no_stream', sealed('first'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(steps).toEqual(['seal first']); // taken at once: nothing was in flight
      const queued = ['a', 'b', 'c'].map((name) =>
        store.append(`sealed-${name}`, events(1), 'no_stream', sealed(name)).then(() => steps.push(`written ${name}`)),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(steps).toEqual(['seal first']); // waiting behind the first group, not sealed yet
      lock.prepare('ROLLBACK').run();
      await Promise.all([first, ...queued]);

      expect(steps).toEqual(['seal first', 'seal a', 'seal b', 'seal c', 'written a', 'written b', 'written c']);
      for (const name of ['a', 'b', 'c']) {
        for await (const event of store.readStream(`sealed-${name}`)) expect(event.metadata.mac).toBe(name);
      }
    } finally {
      if (lock.inTransaction) lock.prepare('ROLLBACK').run();
      lock.close();
    }
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
      expect(await bounded.headPosition()).toBe(800);
      expect(largest).toBeLessThan(1024 * 1024);
    } finally {
      await bounded.close();
    }
  });

  it('commits on the event loop when the store is in memory (no other thread can open it)', async () => {
    const inMemory = new SqliteEventStore({ filename: ':memory:' });
    try {
      const commits = countCommits(inMemory);
      await inMemory.append('s', events(2), 'no_stream');

      expect(commits()).toBe(1);
      expect(await inMemory.headPosition()).toBe(2);
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
      const commits = countCommits(capped);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => capped.append(`capped-${i}`, events(1), 'no_stream')));

      expect(results).toHaveLength(200);
      expect(await capped.headPosition()).toBe(200);
      expect(commits()).toBe(4);
    } finally {
      await capped.close();
    }
  });

  it('fails only the conflicting append of a batch; the others commit in the same transaction', async () => {
    await store.append('conflict', events(1), 'no_stream');
    const commits = countCommits(store);

    const outcomes = await Promise.allSettled([
      store.append('ok-1', events(2), 'no_stream'),
      store.append('conflict', events(1), 'no_stream'),
      store.append('ok-2', events(1), 'no_stream'),
      store.append('conflict', events(1), 0),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(commits()).toBe(1);
    expect(await revisions('ok-1')).toEqual([0, 1]);
    expect(await revisions('ok-2')).toEqual([0]);
    expect(await revisions('conflict')).toEqual([0, 1]);
  });

  it('lets a later append of the same batch see an earlier one on the same stream', async () => {
    const commits = countCommits(store);

    const [first, second, third] = await Promise.all([
      store.append('chain', events(2), 'no_stream'),
      store.append('chain', events(1), 1),
      store.append('chain', events(1), 'stream_exists'),
    ]);

    expect([first.revision, second.revision, third.revision]).toEqual([1, 2, 3]);
    expect(second.position).toBeGreaterThan(first.position);
    expect(commits()).toBe(1);
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
    expect(await store.headPosition()).toBe(3);
  });

  async function revisions(streamId: string): Promise<number[]> {
    const found: number[] = [];
    for await (const event of store.readStream(streamId)) found.push(event.revision);
    return found;
  }
});

/** How many commits of `store` wrote events from now on (each one transaction, one fsync). */
function countCommits(store: SqliteEventStore): () => number {
  let commits = 0;
  store.onCommitted(() => (commits += 1));
  return () => commits;
}

function events(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Tested',
    data: { i },
    metadata: {},
  }));
}
