import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordedEvent } from '../event-store.port.js';

/**
 * Columns selected by every read, in the order of EventRow. The read statements return raw rows
 * (arrays): better-sqlite3 builds an array far cheaper than an object with named properties.
 */
export const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

export type EventRow = [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

export const POSITION = 0;
export const REVISION = 2;

/** The one place a row becomes an event. */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row[1],
    revision: row[2],
    position: row[0],
    eventId: row[3],
    type: row[4],
    data: JSON.parse(row[5]) as Record<string, unknown>,
    metadata: JSON.parse(row[6]) as Record<string, unknown>,
    recordedAt: row[7],
  };
}

/** How a read pages through the database; made by `open` on the first `next()`. */
export interface Paging {
  /** Cursor of the first page (exclusive position, or first revision). */
  cursor: number;
  /** Events still to deliver (maxCount). */
  remaining: number;
  /** Reads up to `limit` rows from `cursor` on, synchronously. */
  read(cursor: number, limit: number): EventRow[];
  /** The cursor of the page after the one ending with `last`. */
  after(last: EventRow): number;
}

/**
 * An AsyncIterator over events read a page of rows at a time: cheaper per event than an async
 * generator (one resolved promise per event), and rows are mapped only as they are delivered.
 *
 * Like the async generator it replaces: nothing is read (and options are not checked) before the
 * first `next()`, errors reject that `next()` and end the iteration, `return()` (leaving a
 * for-await loop) ends it at once and no page is read after it. After a full page, the next one is
 * read only after a turn of the event loop, so that a long read does not starve timers and I/O;
 * a short page is the last one and costs no turn.
 */
export class EventPages implements AsyncIterableIterator<RecordedEvent> {
  private paging: Paging | undefined;
  private rows: EventRow[] = [];
  private index = 0;
  private cursor = 0;
  private remaining = 0;
  /** Whether a page may follow the current one. */
  private more = true;
  private finished = false;
  private turn: Promise<void> | undefined;

  constructor(
    private readonly pageSize: number,
    private readonly open: () => Paging,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent, undefined>> {
    if (this.index < this.rows.length) {
      const row = this.rows[this.index++];
      try {
        return Promise.resolve({ done: false, value: toRecordedEvent(row) });
      } catch (error) {
        return this.fail(error);
      }
    }
    // Calls made while waiting for the turn are served after it, in order.
    if (this.turn) return this.turn.then(() => this.next());
    if (this.finished || !this.more) return this.end();
    try {
      if (this.paging === undefined) {
        this.paging = this.open();
        this.cursor = this.paging.cursor;
        this.remaining = this.paging.remaining;
      } else if (this.rows.length > 0) {
        // A full page was delivered: let the event loop turn before reading the next.
        this.rows = [];
        this.turn = nextTurn().then(() => {
          this.turn = undefined;
        });
        return this.turn.then(() => this.next());
      }
      const limit = Math.min(this.pageSize, this.remaining);
      const rows = limit > 0 ? this.paging.read(this.cursor, limit) : [];
      this.remaining -= rows.length;
      this.more = rows.length === limit && this.remaining > 0;
      if (this.more) this.cursor = this.paging.after(rows[rows.length - 1]);
      this.rows = rows;
      this.index = 0;
    } catch (error) {
      return this.fail(error);
    }
    return this.next();
  }

  return(): Promise<IteratorResult<RecordedEvent, undefined>> {
    return this.end();
  }

  private end(): Promise<IteratorResult<RecordedEvent, undefined>> {
    this.finished = true;
    this.rows = [];
    this.index = 0;
    return Promise.resolve({ done: true, value: undefined });
  }

  private fail(error: unknown): Promise<never> {
    void this.end();
    return Promise.reject(error);
  }
}
