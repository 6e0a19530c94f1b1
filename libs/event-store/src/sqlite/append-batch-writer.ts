import type Database from 'better-sqlite3';
import {
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
} from '../event-store.port.js';
import { DuplicateEventIdError } from '../duplicate-event-id.error.js';
import { isStorageFault, toStoreError } from './sqlite-errors.js';
import type { Statements, StoredEventId, StreamHead } from './statements.js';

/** An event whose data and metadata are already JSON text. */
export interface SerializedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

export interface AppendRequest {
  streamId: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

export type AppendOutcome =
  | { ok: true; result: AppendResult; written: number }
  | { ok: false; error: unknown };

/**
 * Writes a batch of appends in ONE transaction (one fsync), each inside its own savepoint: an
 * append that fails for its own reasons (wrong expected revision, duplicate event id) is rolled
 * back alone and reported in its outcome, while the others go on. Later appends of the batch see
 * the earlier ones (same connection, same transaction).
 *
 * A storage fault (disk full, I/O error, read-only, busy…) anywhere, including COMMIT, rolls the
 * whole transaction back and throws EventStoreUnavailableError: nothing of the batch is written.
 * SQLite may already have rolled back on such errors, and the storage is unhealthy anyway.
 *
 * The stream's head is read inside the write transaction (an index seek on
 * UNIQUE(stream_id, revision)) rather than from an in-memory cache: it costs microseconds under the
 * write lock we already hold, it is always right even when another process writes to the same
 * file, and there is no cache to keep in step with rollbacks.
 */
export function writeAppendBatch(
  db: Database.Database,
  statements: Statements,
  requests: readonly AppendRequest[],
  recordedAt: string,
): AppendOutcome[] {
  try {
    statements.begin.run();
  } catch (error) {
    throw unavailable(error, 'starting the append transaction');
  }
  const outcomes: AppendOutcome[] = [];
  try {
    for (const request of requests) {
      statements.savepoint.run();
      try {
        const { result, written } = appendOne(statements, request, recordedAt);
        statements.release.run();
        outcomes.push({ ok: true, result, written });
      } catch (error) {
        if (isStorageFault(error)) throw error;
        statements.rollbackToSavepoint.run();
        statements.release.run();
        outcomes.push({ ok: false, error });
      }
    }
    statements.commit.run();
    return outcomes;
  } catch (error) {
    if (db.inTransaction) {
      try {
        statements.rollback.run();
      } catch {
        // The transaction is gone either way; the original error is the one to report.
      }
    }
    throw unavailable(error, 'writing appended events');
  }
}

function unavailable(error: unknown, doing: string): EventStoreUnavailableError {
  const mapped = toStoreError(error, doing);
  return mapped instanceof EventStoreUnavailableError
    ? mapped
    : new EventStoreUnavailableError(`event store failed while ${doing}: ${String(error)}`, { cause: error });
}

function appendOne(
  statements: Statements,
  { streamId, events, expected }: AppendRequest,
  recordedAt: string,
): { result: AppendResult; written: number } {
  const head = statements.streamHead.get(streamId);
  const stored = statements.storedEventIds.all(JSON.stringify(events.map((e) => e.eventId)));
  if (stored.length > 0) {
    return { result: repeatedAppendResult(streamId, events, expected, head, stored), written: 0 };
  }
  checkExpectedRevision(streamId, expected, head);
  let revision = head ? head.revision : -1;
  let position = 0;
  let firstPosition = 0;
  for (const event of events) {
    revision += 1;
    const info = statements.insert.run(
      streamId,
      revision,
      event.eventId,
      event.type,
      event.data,
      event.metadata,
      recordedAt,
    );
    position = Number(info.lastInsertRowid);
    if (firstPosition === 0) firstPosition = position;
  }
  // One append's rows are inserted in a row inside one transaction, so their positions are contiguous.
  return { result: { revision, position, firstPosition }, written: events.length };
}

function checkExpectedRevision(streamId: string, expected: ExpectedRevision, head: StreamHead | undefined): void {
  const actual = head ? head.revision : 'no_stream';
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && head === undefined) ||
    (expected === 'stream_exists' && head !== undefined) ||
    (typeof expected === 'number' && expected === actual);
  if (!matches) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/**
 * Some ids of the batch are stored already. It is an idempotent repeat when the ids are exactly
 * this stream's events from some revision on, in the same order, and the expected revision is
 * `any` or the one the original append must have used; then the original result is returned.
 * Otherwise: a wrong expected revision if that check fails against the current head, or else a
 * DuplicateEventIdError.
 */
function repeatedAppendResult(
  streamId: string,
  events: readonly SerializedEvent[],
  expected: ExpectedRevision,
  head: StreamHead | undefined,
  stored: readonly StoredEventId[],
): AppendResult {
  const byId = new Map(stored.map((s) => [s.eventId, s]));
  const first = byId.get(events[0].eventId);
  const isRepeat =
    first !== undefined &&
    events.every((event, i) => {
      const s = byId.get(event.eventId);
      return s !== undefined && s.streamId === streamId && s.revision === first.revision + i;
    });
  if (isRepeat && expectedMatchedOriginal(expected, first.revision)) {
    const last = byId.get(events[events.length - 1].eventId)!;
    return { revision: last.revision, position: last.position, firstPosition: first.position };
  }
  checkExpectedRevision(streamId, expected, head);
  const clash = events.map((e) => byId.get(e.eventId)).find((s) => s !== undefined)!;
  throw new DuplicateEventIdError(streamId, clash.eventId, { streamId: clash.streamId, revision: clash.revision });
}

/** Whether `expected` would have allowed a batch to start at revision `start`. */
function expectedMatchedOriginal(expected: ExpectedRevision, start: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return start === 0;
  if (expected === 'stream_exists') return start > 0;
  return expected === start - 1;
}
