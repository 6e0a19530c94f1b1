import { StoreUnavailableError } from './storage-faults.js';

/**
 * The event store port. Streams are ordered by a 0-based `revision`; every event also has a
 * global `position` in the log of all streams (`$all`), strictly increasing in append order.
 */

export interface EventToAppend {
  /** Unique per event; deterministic when a retried command must not duplicate. */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  streamId: string;
  revision: number;
  position: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** When the store recorded it (ISO-8601). */
  recordedAt: string;
}

/**
 * `no_stream`: the stream must not exist; a number: the revision of the stream's last event;
 * `stream_exists`: any revision but the stream must exist; `any`: no check.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event of the batch (the stream's revision after the append). */
  revision: number;
  /** Global position of the last event of the batch. */
  position: number;
  /**
   * Where an adapter's positions are contiguous within one append: the first event's position.
   * Absent elsewhere; callers then use `position`, which is never earlier than any event's.
   */
  firstPosition?: number;
  /**
   * True when the event ids were stored already with other content: another writer appended
   * different events under the same (deterministic) ids first, and the store took this append as an
   * idempotent repeat, writing nothing. A caller that folds what it sent must read the stream
   * instead. False when the events stored are the ones sent (written now, or an exact repeat).
   */
  divergent: boolean;
}

export interface ReadStreamOptions {
  /** First revision to read (inclusive). Default 0. */
  fromRevision?: number;
  /** Last revision to read (inclusive). */
  toRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events with a position strictly greater than this. Default 0 (from the start). */
  after?: number;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this (a projection's checkpoint). */
  after: number;
  /** Largest batch delivered at once. */
  maxBatchSize?: number;
}

/**
 * A catch-up subscription to `$all`: first the stored events after the checkpoint, then new ones
 * as they are appended, delivered in position order, in batches. Iterating ends after `close()`.
 */
export interface EventSubscription extends AsyncIterable<RecordedEvent[]> {
  close(): Promise<void>;
}

/** What an append may ask of the store besides writing its events. */
export interface AppendOptions {
  /**
   * Called once, just before the events are written, with the events themselves: it may set fields
   * of their metadata (the ledger's MAC), which are then stored. A store that commits appends in
   * groups calls it for every append of a group in one loop, when it takes the group: MACs made one
   * after another cost ≈ 2 µs each, one per request on a busy server ≈ 16 µs (OpenSSL's code and
   * tables gone from the cache), and nothing waits an extra turn of the event loop for them. If it
   * throws, that append fails with its error and nothing of it is written.
   */
  beforeWrite?: (events: EventToAppend[]) => void;
}

export interface EventStore {
  /**
   * Appends atomically; all events or none. Throws `WrongExpectedRevisionError` when the stream's
   * revision does not match. Appending again a batch whose event ids are already the stream's events
   * at that place is idempotent: it succeeds, returns the original result and writes nothing.
   */
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream, oldest first. A stream that does not exist yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Events of every stream in global order (system events excluded). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options: SubscribeOptions): EventSubscription;
  /** Position of the last event in the store; 0 when empty. */
  headPosition(): Promise<number>;
  /**
   * Position of the last event strictly before `position` (0 when none): the `after` to read from
   * `position` on. Only positions the store handed out, or 0, are valid as `after`; positions need
   * not be contiguous (KurrentDB's are log offsets), so `position - 1` is not one in general.
   */
  positionBefore(position: number): Promise<number>;
  /** Resolves when the store answers; throws `EventStoreUnavailableError` otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An event's `metadata.prevHash` does not link to the stream's stored head (or to the event before
 * it in the append): appending it would break the stream's hash chain, so nothing is written.
 */
export class BrokenChainError extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly expectedPrevHash: string,
    readonly prevHash: string,
  ) {
    super(`stream ${streamId}: the event at revision ${revision} links to ${prevHash.slice(0, 12)}…, not to the stored head ${expectedPrevHash.slice(0, 12)}…`);
    this.name = 'BrokenChainError';
  }
}

/** The store cannot be reached or cannot write (disk full, read-only, server down). */
export class EventStoreUnavailableError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
