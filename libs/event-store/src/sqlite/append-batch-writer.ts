import type Database from 'better-sqlite3';
import { BrokenChainError, EventStoreUnavailableError, WrongExpectedRevisionError, type AppendResult, type ExpectedRevision } from '../event-store.port.js';
import { DuplicateEventIdError } from '../duplicate-event-id.error.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { isStorageFault, toStoreError } from './sqlite-errors.js';

/** An event whose data and metadata are already JSON text. */
export interface SerializedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  /** The hash chain's links, when the event carries them (metadata `prevHash` / `hash`). */
  prevHash?: string;
  hash?: string;
}

export interface AppendRequest {
  streamId: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

/** Why one append of a batch failed, as plain data (it may cross from the writer thread). */
export type AppendFailure =
  | { kind: 'wrong-expected-revision'; streamId: string; expected: ExpectedRevision; actual: number | 'no_stream' }
  | { kind: 'duplicate-event-id'; streamId: string; eventId: string; existing: { streamId: string; revision: number } }
  | { kind: 'broken-chain'; streamId: string; revision: number; expectedPrevHash: string; prevHash: string }
  | { kind: 'error'; message: string; code?: string };

export type WrittenAppend = { ok: true; result: AppendResult; written: number } | { ok: false; failure: AppendFailure };

/** Writes one batch in one transaction; throws the storage fault that aborted the whole batch. */
export type AppendBatchWrite = (requests: readonly AppendRequest[], recordedAt: string) => WrittenAppend[];

export type AppendOutcome = { ok: true; result: AppendResult; written: number } | { ok: false; error: unknown };

/**
 * Prepares the writer of append batches on `db`: ONE transaction per batch (one fsync), each append
 * inside its own savepoint, so an append that fails for its own reasons (wrong expected revision,
 * duplicate event id, a constraint) is rolled back alone and reported in its outcome while the
 * others go on. Later appends of a batch see the earlier ones (same transaction).
 *
 * A storage fault (`isFault`, by default storage-faults.ts's `isStorageFault`) anywhere, COMMIT included, rolls the
 * whole transaction back and is thrown: nothing of the batch is written.
 *
 * The stream's head is read inside the write transaction (an index seek on UNIQUE(stream_id,
 * revision)) rather than from a cache: it is always right, even when another process writes to
 * the same file, and there is no cache to keep in step with rollbacks.
 *
 * Its outcomes are plain data: the append worker (append.worker.ts) posts them back to the store.
 */
export function createAppendWriter(
  db: Database.Database,
  isFault: (error: unknown) => boolean = isStorageFault,
  genesisHash: string = GENESIS_HASH,
): AppendBatchWrite {
  const s = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT append_one'),
    release: db.prepare('RELEASE append_one'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO append_one'),
    streamHead: db.prepare(
      `SELECT revision, position, json_extract(metadata, '$.hash') AS hash
         FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`,
    ),
    storedEventIds: db.prepare(
      `SELECT event_id AS eventId, stream_id AS streamId, revision, position, data, metadata
         FROM events WHERE event_id IN (SELECT value FROM json_each(?))`,
    ),
    insert: db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
  type Head = { revision: number; position: number; hash: string | null } | undefined;
  type Stored = { eventId: string; streamId: string; revision: number; position: number; data: string; metadata: string };
  class Refused extends Error {
    constructor(readonly failure: AppendFailure) {
      super(failure.kind);
    }
  }

  const checkExpected = (streamId: string, expected: ExpectedRevision, head: Head): void => {
    const actual = head ? head.revision : 'no_stream';
    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && head === undefined) ||
      (expected === 'stream_exists' && head !== undefined) ||
      (typeof expected === 'number' && expected === actual);
    if (!matches) throw new Refused({ kind: 'wrong-expected-revision', streamId, expected, actual });
  };

  /**
   * The store keeps every stream's hash chain whole whatever a writer believes: an event that
   * carries a `prevHash` must link to the stored head (the genesis hash on a new stream) or to the
   * event before it in the same append.
   */
  const checkChain = (streamId: string, events: SerializedEvent[], head: Head): void => {
    let expectedPrevHash = head ? head.hash : genesisHash;
    let revision = head ? head.revision : -1;
    for (const event of events) {
      revision += 1;
      if (event.prevHash !== undefined && event.prevHash !== expectedPrevHash) {
        throw new Refused({ kind: 'broken-chain', streamId, revision, expectedPrevHash: String(expectedPrevHash), prevHash: event.prevHash });
      }
      expectedPrevHash = event.hash ?? null;
    }
  };

  /** Whether `expected` would have allowed a batch to start at revision `start`. */
  const expectedMatchedOriginal = (expected: ExpectedRevision, start: number): boolean => {
    if (expected === 'any') return true;
    if (expected === 'no_stream') return start === 0;
    if (expected === 'stream_exists') return start > 0;
    return expected === start - 1;
  };

  /**
   * Some ids of the batch are stored already. It is an idempotent repeat when the ids are exactly
   * this stream's events from some revision on, in the same order, and the expected revision is
   * `any` or the one the original append must have used; then the original result is returned.
   * Otherwise: a wrong expected revision if that check fails against the current head, or else a
   * duplicate event id.
   */
  const repeatedResult = (request: AppendRequest, head: Head, stored: Stored[]): AppendResult => {
    const { streamId, events, expected } = request;
    const byId = new Map(stored.map((row) => [row.eventId, row]));
    const first = byId.get(events[0].eventId);
    const isRepeat =
      first !== undefined &&
      events.every((event, i) => {
        const row = byId.get(event.eventId);
        return row !== undefined && row.streamId === streamId && row.revision === first.revision + i;
      });
    if (isRepeat && expectedMatchedOriginal(expected, first.revision)) {
      const last = byId.get(events[events.length - 1].eventId)!;
      const divergent = events.some((event) => byId.get(event.eventId)!.data !== event.data || byId.get(event.eventId)!.metadata !== event.metadata);
      return { revision: last.revision, position: last.position, firstPosition: first.position, divergent };
    }
    checkExpected(streamId, expected, head);
    const clash = events.map((e) => byId.get(e.eventId)).find((row) => row !== undefined)!;
    throw new Refused({
      kind: 'duplicate-event-id',
      streamId,
      eventId: clash.eventId,
      existing: { streamId: clash.streamId, revision: clash.revision },
    });
  };

  const appendOne = (request: AppendRequest, recordedAt: string): { result: AppendResult; written: number } => {
    const { streamId, events, expected } = request;
    const head = s.streamHead.get(streamId) as Head;
    const stored = s.storedEventIds.all(JSON.stringify(events.map((e) => e.eventId))) as Stored[];
    if (stored.length > 0) return { result: repeatedResult(request, head, stored), written: 0 };
    checkExpected(streamId, expected, head);
    checkChain(streamId, events, head);
    let revision = head ? head.revision : -1;
    let position = 0;
    let firstPosition = 0;
    for (const event of events) {
      revision += 1;
      const info = s.insert.run(streamId, revision, event.eventId, event.type, event.data, event.metadata, recordedAt);
      position = Number(info.lastInsertRowid);
      if (firstPosition === 0) firstPosition = position;
    }
    // One append's rows are inserted in a row inside one transaction, so their positions are contiguous.
    return { result: { revision, position, firstPosition, divergent: false }, written: events.length };
  };

  return (requests, recordedAt) => {
    s.begin.run();
    const outcomes: WrittenAppend[] = [];
    try {
      for (const request of requests) {
        s.savepoint.run();
        try {
          const { result, written } = appendOne(request, recordedAt);
          s.release.run();
          outcomes.push({ ok: true, result, written });
        } catch (error) {
          if (isFault(error)) throw error;
          s.rollbackToSavepoint.run();
          s.release.run();
          const failure: AppendFailure =
            error instanceof Refused
              ? error.failure
              : { kind: 'error', message: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code };
          outcomes.push({ ok: false, failure });
        }
      }
      s.commit.run();
      return outcomes;
    } catch (error) {
      if (db.inTransaction) {
        try {
          s.rollback.run();
        } catch {
          // The transaction is gone either way; the original error is the one to report.
        }
      }
      throw error;
    }
  };
}

/** The error an append's failure stands for, as the port's callers expect it. */
export function appendError(failure: AppendFailure): Error {
  switch (failure.kind) {
    case 'wrong-expected-revision':
      return new WrongExpectedRevisionError(failure.streamId, failure.expected, failure.actual);
    case 'duplicate-event-id':
      return new DuplicateEventIdError(failure.streamId, failure.eventId, failure.existing);
    case 'broken-chain':
      return new BrokenChainError(failure.streamId, failure.revision, failure.expectedPrevHash, failure.prevHash);
    case 'error':
      return Object.assign(new Error(failure.message), failure.code === undefined ? {} : { code: failure.code });
  }
}

/** The whole batch failed: always EventStoreUnavailableError (the storage is unhealthy). */
export function batchFailure(error: unknown, doing = 'writing appended events'): EventStoreUnavailableError {
  const mapped = toStoreError(error, doing);
  return mapped instanceof EventStoreUnavailableError
    ? mapped
    : new EventStoreUnavailableError(`event store failed while ${doing}: ${String(error)}`, { cause: error });
}

/** Writes a batch on this thread: the outcomes with the port's errors, or throws EventStoreUnavailableError. */
export function writeAppendBatch(write: AppendBatchWrite, requests: readonly AppendRequest[], recordedAt: string): AppendOutcome[] {
  let written: WrittenAppend[];
  try {
    written = write(requests, recordedAt);
  } catch (error) {
    throw batchFailure(error);
  }
  return written.map((outcome) => (outcome.ok ? outcome : { ok: false, error: appendError(outcome.failure) }));
}
