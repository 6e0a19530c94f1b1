import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { WrongExpectedRevisionError, type EventSubscription, type EventToAppend, type RecordedEvent } from '../event-store.port.js';
import { DuplicateEventIdError } from '../duplicate-event-id.error.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';

describe('SqliteEventStore', () => {
  let dir: string;
  let filename: string;
  let store: SqliteEventStore;
  const opened: SqliteEventStore[] = [];

  const open = (options: Partial<SqliteEventStoreOptions> = {}) => {
    const s = new SqliteEventStore({ filename, pollIntervalMs: 50, ...options });
    opened.push(s);
    return s;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-sqlite-'));
    filename = join(dir, 'events.sqlite');
    store = open();
  });

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('file and schema', () => {
    it('creates missing parent folders, a WAL database at schema version 1', async () => {
      const nested = join(dir, 'a', 'b', 'c', 'events.sqlite');
      const s = open({ filename: nested });
      await s.append('s', events(1), 'no_stream');

      const raw = new Database(nested, { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(raw.pragma('user_version', { simple: true })).toBe(1);
        const columns = (raw.pragma('table_info(events)') as { name: string }[]).map((c) => c.name);
        expect(columns).toEqual(['position', 'stream_id', 'revision', 'event_id', 'type', 'data', 'metadata', 'recorded_at']);
      } finally {
        raw.close();
      }
    });

    it('starts empty at head position 0; the first event is position 1 and positions follow without gaps', async () => {
      expect(await store.headPosition()).toBe(0);

      expect(await store.append('a', events(2), 'no_stream')).toEqual({ revision: 1, position: 2, firstPosition: 1, divergent: false });
      expect(await store.append('b', events(1), 'no_stream')).toEqual({ revision: 0, position: 3, firstPosition: 3, divergent: false });
      expect(await store.headPosition()).toBe(3);
    });

    it('refuses to open a database written by a newer schema version', async () => {
      const newer = join(dir, 'newer.sqlite');
      const raw = new Database(newer);
      raw.pragma('user_version = 99');
      raw.close();

      expect(() => new SqliteEventStore({ filename: newer })).toThrow(/schema version 99 is newer/);
    });

    it('reopens an existing database without migrating it again', async () => {
      await store.append('kept', events(2), 'no_stream');
      await store.close();

      const again = open();

      expect(await again.headPosition()).toBe(2);
      expect((await again.append('kept', events(1), 1)).position).toBe(3);
    });
  });

  describe('event ids', () => {
    it('rejects an event id already stored in another stream with DuplicateEventIdError, writing nothing', async () => {
      const [taken] = events(1);
      await store.append('owner', [taken], 'no_stream');

      const error = await rejectionOf(store.append('thief', [...events(1), taken], 'no_stream'));

      expect(error).toBeInstanceOf(DuplicateEventIdError);
      expect(error).toMatchObject({ streamId: 'thief', eventId: taken.eventId, existing: { streamId: 'owner', revision: 0 } });
      expect(await toArray(store.readStream('thief'))).toEqual([]);
    });

    it('rejects a batch that only partly repeats stored events', async () => {
      const original = events(2);
      await store.append('partial', original, 'no_stream');

      // Each would pass the expected-revision check (`any`), so only the ids can refuse them.
      await expect(store.append('partial', [...original, ...events(1)], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.append('partial', [original[1], original[0]], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.append('partial', [...events(1), original[0]], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      // With an expected revision that does not fit either, the revision check answers first.
      await expect(store.append('partial', [...original, ...events(1)], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await revisions('partial')).toEqual([0, 1]);
    });

    it('does not treat a repeat as idempotent when its expected revision could not have produced it', async () => {
      const first = events(1);
      await store.append('strict', first, 'no_stream');
      await store.append('strict', events(1), 0);

      await expect(store.append('strict', first, 3)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append('strict', first, 'stream_exists')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await revisions('strict')).toEqual([0, 1]);
    });

    it('rejects invalid appends before queueing them', async () => {
      const [dup] = events(1);

      await expect(store.append('bad', [], 'no_stream')).rejects.toThrow(RangeError);
      await expect(store.append('bad', [dup, dup], 'no_stream')).rejects.toThrow(/appears twice/);
      await expect(store.append('bad', events(1), -1)).rejects.toThrow(TypeError);
      await expect(store.append('', events(1), 'no_stream')).rejects.toThrow(TypeError);
      await expect(store.append('bad', [{ ...dup, data: [1, 2] as unknown as Record<string, unknown> }], 'no_stream')).rejects.toThrow(
        /data must be an object/,
      );
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      await expect(store.append('bad', [{ ...dup, metadata: circular }], 'no_stream')).rejects.toThrow(TypeError);
      expect(await store.headPosition()).toBe(0);
    });
  });

  describe('reads page through the database', () => {
    const count = 1234;

    beforeEach(async () => {
      await store.append('long', events(count), 'no_stream');
      await store.append('other', events(1), 'no_stream');
    });

    it('reads a stream across page boundaries', async () => {
      expect(await revisions('long')).toEqual(range(0, count));
      expect(await revisions('long', { fromRevision: 499, toRevision: 501 })).toEqual([499, 500, 501]);
      expect(await revisions('long', { fromRevision: 10, maxCount: 1000 })).toEqual(range(10, 1000));
      expect(await revisions('long', { fromRevision: 1000 })).toEqual(range(1000, count - 1000));
    });

    it('reads $all across page boundaries, after exclusive', async () => {
      const all = await toArray(store.readAll());
      expect(all.map((e) => e.position)).toEqual(range(1, count + 1));
      expect(all[count].streamId).toBe('other');

      const tail = await toArray(store.readAll({ after: 500, maxCount: 600 }));
      expect(tail.map((e) => e.position)).toEqual(range(501, 600));
    });

    it('reads $all up to the head as of its start', async () => {
      const seen: RecordedEvent[] = [];
      for await (const event of store.readAll({ after: count - 2 })) {
        seen.push(event);
        if (seen.length === 1) await store.append('later', events(1), 'no_stream');
      }

      expect(seen.map((e) => e.position)).toEqual([count - 1, count, count + 1]);
      expect(await store.headPosition()).toBe(count + 2);
    });
  });

  describe('subscriptions', () => {
    it('delivers in batches of at most maxBatchSize', async () => {
      await store.append('batched', events(25), 'no_stream');
      const subscription = store.subscribeToAll({ after: 0, maxBatchSize: 10 });

      const sizes: number[] = [];
      for await (const batch of subscription) {
        sizes.push(batch.length);
        if (sizes.reduce((a, b) => a + b, 0) === 25) break;
      }

      expect(sizes).toEqual([10, 10, 5]);
    });

    it('is woken at once by an append through the same instance, without waiting for the poll', async () => {
      const quiet = open({ filename: join(dir, 'quiet.sqlite'), pollIntervalMs: 60_000 });
      const subscription = quiet.subscribeToAll({ after: 0 });
      const next = subscription[Symbol.asyncIterator]().next();
      await sleep(50);

      await quiet.append('wake', events(1), 'no_stream');

      const result = await withTimeout(next, 1000);
      expect(result.done).toBe(false);
      expect((result.value as RecordedEvent[])[0].streamId).toBe('wake');
      await subscription.close();
    });

    it('sees appends made through another connection to the same file by polling', async () => {
      const writer = open();
      const subscription = store.subscribeToAll({ after: 0 });
      const next = subscription[Symbol.asyncIterator]().next();
      await sleep(20);

      await writer.append('elsewhere', events(2), 'no_stream');

      const result = await withTimeout(next, 2000);
      expect((result.value as RecordedEvent[]).map((e) => e.streamId)).toEqual(['elsewhere', 'elsewhere']);
      await subscription.close();
    });

    it('ends a pending next() at once on close(), without waiting for the poll', async () => {
      const quiet = open({ filename: join(dir, 'quiet.sqlite'), pollIntervalMs: 60_000 });
      const subscription = quiet.subscribeToAll({ after: 0 });
      const next = subscription[Symbol.asyncIterator]().next();
      await sleep(50);

      await subscription.close();

      await expect(withTimeout(next, 500)).resolves.toEqual({ done: true, value: undefined });
    });

    it('ends when the consumer leaves the loop, and closing the store then does not wait for it', async () => {
      const quiet = open({ filename: join(dir, 'quiet.sqlite'), pollIntervalMs: 60_000 });
      await quiet.append('s', events(3), 'no_stream');
      const subscription = quiet.subscribeToAll({ after: 0, maxBatchSize: 1 });

      let batches = 0;
      for await (const _ of subscription) {
        batches += 1;
        if (batches === 2) break;
      }
      await withTimeout(quiet.close(), 1000);

      expect(batches).toBe(2);
    });

    it('can be iterated only once', async () => {
      const subscription = store.subscribeToAll({ after: 0 });
      subscription[Symbol.asyncIterator]();

      expect(() => subscription[Symbol.asyncIterator]()).toThrow(/only once/);
      await subscription.close();
    });

    it('ends every subscription when the store closes', async () => {
      const subscriptions: EventSubscription[] = [store.subscribeToAll({ after: 0 }), store.subscribeToAll({ after: 0 })];
      const ended = subscriptions.map(async (s) => {
        let batches = 0;
        for await (const _ of s) batches += 1;
        return batches;
      });
      await store.append('s', events(1), 'no_stream');
      await sleep(50);

      await store.close();

      expect(await withTimeout(Promise.all(ended), 2000)).toEqual([1, 1]);
    });
  });

  describe('close', () => {
    it('writes queued appends before closing', async () => {
      const pending = store.append('queued', events(2), 'no_stream');

      await store.close();

      const raw = new Database(filename, { readonly: true });
      try {
        expect(raw.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
      } finally {
        raw.close();
      }
      await expect(pending).resolves.toEqual({ revision: 1, position: 2, firstPosition: 1, divergent: false });
      expect(await revisions('queued', {}, open())).toEqual([0, 1]);
    });

    it('is idempotent', async () => {
      await Promise.all([store.close(), store.close()]);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  describe('WAL checkpoints', () => {
    it('are off the write path: a worker copies the WAL into the database file, none happen without it', async () => {
      const checkpointed = open({ filename: join(dir, 'checkpointed.sqlite'), checkpointIntervalMs: 25 });
      const neverFile = join(dir, 'never.sqlite');
      const never = open({ filename: neverFile, checkpointIntervalMs: 3_600_000 });
      // ~5 MB: more than SQLite's default auto-checkpoint threshold (1000 pages of 4 KiB).
      const payload = events(2500, 2048);

      await Promise.all([checkpointed.append('s', payload, 'no_stream'), never.append('s', payload, 'no_stream')]);

      // While this thread never yields (the fallback timer runs on it), the events reach the database file.
      const copied = whileBlocked(
        () => statSync(join(dir, 'checkpointed.sqlite')).size > 5_000_000 && eventsInDatabaseFile(join(dir, 'checkpointed.sqlite')) === 2500,
      );
      expect(copied).toBe(true);
      // No automatic checkpoint on the writer: the events are still only in the WAL.
      expect(statSync(neverFile).size).toBeLessThan(100_000);
      expect(statSync(`${neverFile}-wal`).size).toBeGreaterThan(5_000_000);
    });

    it("do not keep the process alive: an idle open store holds no ref'd handle", async () => {
      // A ref'd worker shows up as an active MessagePort.
      const alive = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
      const baseline = alive();
      const idle = open({ filename: join(dir, 'idle.sqlite'), checkpointIntervalMs: 10 });
      await idle.append('s', events(1), 'no_stream');
      // The checkpoint worker runs: it copies the event into the database file while this thread is busy.
      expect(whileBlocked(() => eventsInDatabaseFile(join(dir, 'idle.sqlite')) === 1)).toBe(true);

      expect(alive()).toBe(baseline);
    });

    it('stop on close: the worker closes its connection, so the last one out removes the WAL', async () => {
      await store.append('s', events(10), 'no_stream');
      expect(existsSync(`${filename}-wal`)).toBe(true);

      await store.close();

      expect(existsSync(`${filename}-wal`)).toBe(false);
    });
  });

  async function revisions(streamId: string, options: Parameters<SqliteEventStore['readStream']>[1] = {}, from: SqliteEventStore = store): Promise<number[]> {
    return (await toArray(from.readStream(streamId, options))).map((e) => e.revision);
  }
});

function events(count: number, payloadBytes = 10): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Tested',
    data: { i, payload: 'x'.repeat(payloadBytes) },
    metadata: {},
  }));
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Checks `condition` without yielding this thread (nothing of it runs meanwhile) until it holds or `timeoutMs` passed. */
function whileBlocked(condition: () => boolean, timeoutMs = 10_000): boolean {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) if (condition()) return true;
  return false;
}

/** The events in the database file alone, without its WAL: what checkpoints copied there (-1 while unreadable). */
function eventsInDatabaseFile(file: string): number {
  const bytes = readFileSync(file);
  bytes[18] = bytes[19] = 1; // read as a rollback-journal file: an in-memory copy cannot use a WAL
  try {
    const db = new Database(bytes);
    try {
      return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return -1; // not yet a database with the events table, or copied mid-write
  }
}
