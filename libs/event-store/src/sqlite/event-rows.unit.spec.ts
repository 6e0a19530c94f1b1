import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import { EventPages, toRecordedEvent, type EventRow, type Paging } from './event-rows.js';

/** A log of `count` rows at positions 1..count, read through a Paging that records its reads. */
function fakeLog(count: number, options: { maxCount?: number; failOnRead?: number; badRow?: number } = {}) {
  const reads: Array<[cursor: number, limit: number]> = [];
  let opened = 0;
  const paging = (): Paging => {
    opened += 1;
    return {
      cursor: 0,
      remaining: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      read(cursor, limit) {
        reads.push([cursor, limit]);
        if (reads.length === options.failOnRead) throw new Error('storage fault');
        const rows: EventRow[] = [];
        for (let p = cursor + 1; p <= Math.min(count, cursor + limit); p++) rows.push(row(p, p === options.badRow));
        return rows;
      },
      after: (last) => last[0],
    };
  };
  return { reads, opened: () => opened, paging };
}

function row(position: number, badJson = false): EventRow {
  return [position, 's', position - 1, `e${position}`, 'T', badJson ? '{' : `{"n":${position}}`, '{}', '2026-01-01T00:00:00.000Z'];
}

async function positions(iterable: AsyncIterable<RecordedEvent>): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of iterable) seen.push(event.position);
  return seen;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('toRecordedEvent', () => {
  it('maps a raw row by column index, parsing data and metadata', () => {
    expect(
      toRecordedEvent([7, 'launch-1', 3, 'id-7', 'Renamed', '{"name":"x","n":[1,null]}', '{"actor":{"id":"a"}}', '2026-01-01T00:00:00.000Z']),
    ).toStrictEqual({
      streamId: 'launch-1',
      revision: 3,
      position: 7,
      eventId: 'id-7',
      type: 'Renamed',
      data: { name: 'x', n: [1, null] },
      metadata: { actor: { id: 'a' } },
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('EventPages', () => {
  it('opens lazily: nothing is read, and no option checked, before the first next()', async () => {
    const log = fakeLog(3);
    const pages = new EventPages(10, log.paging);
    expect(log.opened()).toBe(0);

    await pages.next();
    expect(log.opened()).toBe(1);

    const failing = new EventPages(10, () => {
      throw new RangeError('maxCount must be a non-negative integer');
    });
    await expect(failing.next()).rejects.toThrow(RangeError);
    await expect(failing.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('reads page after page from the last row of the previous one; a short page is the last read', async () => {
    const log = fakeLog(25);
    expect(await positions(new EventPages(10, log.paging))).toEqual(range(1, 25));
    expect(log.reads).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
  });

  it('reads once more after a full last page, and finds nothing', async () => {
    const log = fakeLog(20);
    expect(await positions(new EventPages(10, log.paging))).toEqual(range(1, 20));
    expect(log.reads).toEqual([
      [0, 10],
      [10, 10],
      [20, 10],
    ]);
  });

  it('limits the pages to maxCount and stops at it without another read', async () => {
    const log = fakeLog(100, { maxCount: 23 });
    expect(await positions(new EventPages(10, log.paging))).toEqual(range(1, 23));
    expect(log.reads).toEqual([
      [0, 10],
      [10, 10],
      [20, 3],
    ]);

    const exact = fakeLog(100, { maxCount: 20 });
    expect(await positions(new EventPages(10, exact.paging))).toEqual(range(1, 20));
    expect(exact.reads).toEqual([
      [0, 10],
      [10, 10],
    ]);

    const none = fakeLog(100, { maxCount: 0 });
    expect(await positions(new EventPages(10, none.paging))).toEqual([]);
    expect(none.reads).toEqual([]);
  });

  it('lets the event loop turn between full pages, but not within a page nor after a short last page', async () => {
    const log = fakeLog(15);
    const pages = new EventPages(10, log.paging);
    let turns = 0;
    const tick = () => {
      turns += 1;
    };

    setImmediate(tick);
    for (let i = 0; i < 10; i++) await pages.next();
    expect(turns).toBe(0); // the first page is delivered with microtasks only

    await pages.next(); // the 11th event: after a turn
    expect(turns).toBe(1);

    setImmediate(tick);
    for (let i = 0; i < 4; i++) await pages.next();
    await expect(pages.next()).resolves.toEqual({ done: true, value: undefined });
    expect(turns).toBe(1); // the short page ended it with no turn
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('return() (break) ends it at once: the rest of the page is dropped and nothing more is read', async () => {
    const log = fakeLog(100);
    const seen: number[] = [];
    for await (const event of new EventPages(10, log.paging)) {
      seen.push(event.position);
      if (event.position === 15) break;
    }
    expect(seen).toEqual(range(1, 15));
    expect(log.reads).toEqual([
      [0, 10],
      [10, 10],
    ]);
  });

  it('reads nothing after return() called while it waits for its turn between pages', async () => {
    const log = fakeLog(100);
    const pages = new EventPages(10, log.paging);
    for (let i = 0; i < 10; i++) await pages.next();

    const pending = pages.next(); // waits for a turn before reading page 2
    await pages.return();

    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(log.reads).toEqual([[0, 10]]);
  });

  it('serves next() calls made without waiting in order, across a page boundary', async () => {
    const log = fakeLog(25);
    const pages = new EventPages(10, log.paging);
    const results = await Promise.all(Array.from({ length: 27 }, () => pages.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value.position))).toEqual([...range(1, 25), 'done', 'done']);
  });

  it('rejects the next() whose read fails and ends; a failed mapping too', async () => {
    const log = fakeLog(100, { failOnRead: 2 });
    const pages = new EventPages(10, log.paging);
    for (let i = 0; i < 10; i++) await pages.next();
    await expect(pages.next()).rejects.toThrow('storage fault');
    await expect(pages.next()).resolves.toEqual({ done: true, value: undefined });
    expect(log.reads).toHaveLength(2);

    const bad = new EventPages(10, fakeLog(5, { badRow: 2 }).paging);
    await expect(bad.next()).resolves.toMatchObject({ done: false, value: { position: 1 } });
    await expect(bad.next()).rejects.toThrow(SyntaxError);
    await expect(bad.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('is its own iterator, like a generator', () => {
    const pages = new EventPages(10, fakeLog(1).paging);
    expect(pages[Symbol.asyncIterator]()).toBe(pages);
  });
});
