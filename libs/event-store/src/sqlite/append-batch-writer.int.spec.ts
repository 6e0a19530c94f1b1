import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { createAppendWriter, writeAppendBatch, type AppendBatchWrite, type AppendRequest, type SerializedEvent } from './append-batch-writer.js';
import { migrate } from './schema.js';
import { isStorageFault } from './sqlite-errors.js';

/** The batch writer on its own, fed requests the store's validation would never let through. */
describe('writeAppendBatch', () => {
  let db: Database.Database;
  let write: AppendBatchWrite;

  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
    write = createAppendWriter(db, isStorageFault, GENESIS_HASH);
  });

  afterEach(() => {
    db.close();
  });

  it('rolls back an append that failed after writing some of its events, and only that one', () => {
    // Two events with one id: the first insert succeeds, the second violates UNIQUE(event_id).
    const broken: AppendRequest = { streamId: 'broken', events: [event('same'), event('same')], expected: 'no_stream' };

    const outcomes = writeAppendBatch(
      write,
      [
        { streamId: 'before', events: [event('b1'), event('b2')], expected: 'no_stream' },
        broken,
        { streamId: 'after', events: [event('a1')], expected: 'no_stream' },
      ],
      '2030-01-01T00:00:00.000Z',
    );

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect((outcomes[1] as { error: { code?: string } }).error.code).toMatch(/^SQLITE_CONSTRAINT/);
    expect(db.inTransaction).toBe(false);
    const rows = db.prepare('SELECT stream_id AS s, revision AS r, position AS p FROM events ORDER BY position').all();
    expect(rows).toEqual([
      { s: 'before', r: 0, p: 1 },
      { s: 'before', r: 1, p: 2 },
      { s: 'after', r: 0, p: 3 },
    ]);
    expect(outcomes[2]).toEqual({ ok: true, result: { revision: 0, position: 3, firstPosition: 3, divergent: false }, written: 1 });
  });

  it('reports per-append errors in the outcomes and commits the rest', () => {
    writeAppendBatch(write, [{ streamId: 's', events: [event('x')], expected: 'no_stream' }], now());

    const outcomes = writeAppendBatch(
      write,
      [
        { streamId: 's', events: [event('y')], expected: 'no_stream' },
        { streamId: 's', events: [event('z')], expected: 0 },
      ],
      now(),
    );

    expect(outcomes[0].ok).toBe(false);
    expect((outcomes[0] as { error: unknown }).error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(outcomes[1]).toEqual({ ok: true, result: { revision: 1, position: 2, firstPosition: 2, divergent: false }, written: 1 });
  });

  it('throws EventStoreUnavailableError and leaves no transaction open when the storage fails', () => {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pageCount + 1}`);
    const huge = { ...event('huge'), data: JSON.stringify({ blob: 'x'.repeat(pageSize * 4) }) };

    expect(() =>
      writeAppendBatch(
        write,
        [
          { streamId: 'fits', events: [event('small')], expected: 'no_stream' },
          { streamId: 'too-big', events: [huge], expected: 'no_stream' },
        ],
        now(),
      ),
    ).toThrow(EventStoreUnavailableError);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
  });
});

function event(eventId: string): SerializedEvent {
  return { eventId, type: 'Tested', data: '{}', metadata: '{}' };
}

function now(): string {
  return new Date().toISOString();
}
