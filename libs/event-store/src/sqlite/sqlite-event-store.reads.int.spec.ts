import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EventStoreUnavailableError, type EventToAppend, type RecordedEvent } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

/** Reads page through raw rows (EventPages): $all in pages of 1000, a stream in pages of 500. */
describe('SqliteEventStore reads', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-reads-'));
    store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), pollIntervalMs: 50 });
    await store.append('long', events(2500), 'no_stream');
    await store.append('short', events(26), 'no_stream');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads $all across page boundaries with after and maxCount', async () => {
    expect(positions(await toArray(store.readAll({ after: 999, maxCount: 1001 })))).toEqual(range(1000, 1001));
    expect(positions(await toArray(store.readAll({ after: 998, maxCount: 2000 })))).toEqual(range(999, 1528));
    expect(positions(await toArray(store.readAll({ maxCount: 2000 })))).toEqual(range(1, 2000));
    expect(await toArray(store.readAll({ after: 2526 }))).toEqual([]);
  });

  it('delivers complete events with parsed data and metadata', async () => {
    const [first] = await toArray(store.readAll({ after: 2500, maxCount: 1 }));
    expect(first).toStrictEqual({
      streamId: 'short',
      revision: 0,
      position: 2501,
      eventId: expect.any(String),
      type: 'Tested',
      data: { i: 0, payload: 'xxxxxxxxxx' },
      metadata: { by: 'test' },
      recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('keeps working after a for-await loop breaks out in the middle of a page', async () => {
    let seen = 0;
    for await (const event of store.readAll()) {
      seen += 1;
      if (event.position === 1500) break;
    }
    for await (const event of store.readStream('long', { fromRevision: 10 })) {
      if (event.revision === 20) break;
    }
    expect(seen).toBe(1500);

    await store.append('short', events(1), 25);
    expect(positions(await toArray(store.readAll({ after: 2525 })))).toEqual([2526, 2527]);
    expect((await toArray(store.readStream('short'))).map((e) => e.revision)).toEqual(range(0, 27));
  });

  it('reads a short stream in one go, with no turn of the event loop', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const read = await toArray(store.readStream('short'));
    expect(read.map((e) => e.revision)).toEqual(range(0, 26));
    expect(turned).toBe(false);
  });

  it('lets timers and I/O run during a long read of $all', async () => {
    let turns = 0;
    const ticker = setInterval(() => {
      turns += 1;
    }, 0);
    try {
      const seen: number[] = [];
      for await (const event of store.readAll()) {
        seen.push(event.position);
        if (event.position === 1000) expect(turns).toBe(0); // the first page: no turn yet
        if (event.position === 2001) expect(turns).toBeGreaterThan(0);
      }
      expect(seen).toHaveLength(2526);
    } finally {
      clearInterval(ticker);
    }
  });

  it('fails a read of a closed store with EventStoreUnavailableError, also between pages', async () => {
    const reading = store.readAll()[Symbol.asyncIterator]();
    for (let i = 0; i < 1000; i++) await reading.next();
    await store.close();

    await expect(reading.next()).rejects.toThrow(EventStoreUnavailableError);
    await expect(toArray(store.readStream('short'))).rejects.toThrow(EventStoreUnavailableError);
    await expect(toArray(store.readAll())).rejects.toThrow(EventStoreUnavailableError);
  });
});

describe('SqliteEventStore opened as a reader beside the writer (a projector thread)', () => {
  let dir: string;
  let writer: SqliteEventStore;
  let reader: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'event-store-reader-'));
    writer = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    // A poll far longer than the test: only notifyCommitted can wake its subscription in time.
    reader = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), reader: true, pollIntervalMs: 60_000 });
  });

  afterEach(async () => {
    await reader.close();
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses appends, and stores nothing', async () => {
    await expect(reader.append('s', events(1), 'no_stream')).rejects.toThrow('opened to read only');
    expect(await writer.headPosition()).toBe(0);
  });

  it("reads the writer's commits, its subscription woken by notifyCommitted", async () => {
    writer.onCommitted(() => reader.notifyCommitted());
    const subscription = reader.subscribeToAll({ after: 0 });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();
    await writer.append('s', events(3), 'no_stream');
    const batch = await Promise.race([first, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 5000))]);
    expect(batch).not.toBe('late');
    expect(positions((batch as IteratorResult<RecordedEvent[]>).value)).toEqual([1, 2, 3]);
    expect(await reader.headPosition()).toBe(3);
    await subscription.close();
  });
});

function events(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: 'Tested',
    data: { i, payload: 'x'.repeat(10) },
    metadata: { by: 'test' },
  }));
}

function positions(events: RecordedEvent[]): number[] {
  return events.map((e) => e.position);
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
