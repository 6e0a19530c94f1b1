import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '../event-store.port.js';
import {
  appendError,
  batchFailure,
  createAppendWriter,
  writeAppendBatch,
  type AppendBatchWrite,
  type AppendOutcome,
  type AppendRequest,
} from './append-batch-writer.js';
import { AppendWorker } from './append-worker.js';
import { EventPages, POSITION, REVISION, toRecordedEvent } from './event-rows.js';
import { GroupCommitQueue } from './group-commit-queue.js';
import { checkStreamId, nonNegativeInteger, positiveInteger } from '../argument-checks.js';
import { openEventFile } from './open-event-file.js';
import { toStoreError } from './sqlite-errors.js';
import { SqliteSubscription } from './sqlite-subscription.js';
import { prepareStatements, type Statements } from './statements.js';
import { checkEvents, checkExpected, serializeEvent } from './store-arguments.js';
import type { SqliteEventStoreOptions } from './sqlite-event-store.options.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export type { SqliteEventStoreOptions };

/** An append waiting for its group commit; its events are serialized when the group is taken. */
interface QueuedAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  beforeWrite: AppendOptions['beforeWrite'];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

const READ_PAGE_SIZE = 500;
/** Larger pages for $all: fewer queries and turns of the event loop; a page is still a few ms of work. */
const READ_ALL_PAGE_SIZE = 1000;
const DEFAULT_MAX_BATCH_SIZE = 500;

/**
 * The embedded event store: one SQLite file (WAL, synchronous=FULL), written through group
 * commit — `append()` only queues; the appends queued while the previous batch commits (or during
 * one turn of the event loop) are written in one transaction with one fsync, on a worker thread
 * (see AppendWorker; in memory, or should the worker fail, on this thread), and each promise
 * settles after COMMIT.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly queue: GroupCommitQueue<QueuedAppend>;
  private readonly writeHere: AppendBatchWrite;
  private readonly worker: AppendWorker | undefined;
  private readonly checkpointer: WalCheckpointer | undefined;
  private readonly pollIntervalMs: number;
  private readonly reader: boolean;
  private readonly commitListeners = new Set<() => void>();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private closing: Promise<void> | undefined;

  constructor(options: SqliteEventStoreOptions) {
    const inMemory = options.filename === ':memory:' || options.filename === '';
    this.reader = options.reader === true;
    const filename = inMemory ? options.filename : resolve(options.filename);
    this.pollIntervalMs = positiveInteger(options.pollIntervalMs ?? 200, 'pollIntervalMs');
    const maxWalBytes = positiveInteger(options.maxWalBytes ?? 64 * 1024 * 1024, 'maxWalBytes');
    const { db, maxPageCount } = openEventFile(filename, { ...options, maxWalBytes, migrate: !this.reader });
    try {
      this.statements = prepareStatements(db);
      this.writeHere = createAppendWriter(db);
    } catch (error) {
      db.close();
      throw toStoreError(error, `opening ${filename}`);
    }
    this.db = db;
    this.worker =
      inMemory || this.reader
        ? undefined
        : startAppendWorker(filename, {
            busyTimeoutMs: options.busyTimeoutMs ?? 5000,
            maxWalBytes,
            ...(maxPageCount !== undefined && { maxPageCount }),
          });
    this.queue = new GroupCommitQueue((batch) => this.writeBatch(batch), positiveInteger(options.maxAppendsPerTransaction ?? 1000, 'maxAppendsPerTransaction'));
    this.checkpointer =
      inMemory || this.reader ? undefined : new WalCheckpointer(filename, db, positiveInteger(options.checkpointIntervalMs ?? 1000, 'checkpointIntervalMs'));
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new EventStoreUnavailableError('event store is closed'));
    if (this.reader) return Promise.reject(new Error('this event store was opened to read only'));
    try {
      checkStreamId(streamId);
      checkEvents(events);
      checkExpected(expected);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => this.queue.enqueue({ streamId, events, expected, beforeWrite: options?.beforeWrite, resolve, reject }));
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    return new EventPages(READ_PAGE_SIZE, () => {
      checkStreamId(streamId);
      const from = nonNegativeInteger(options.fromRevision ?? 0, 'fromRevision');
      const to = nonNegativeInteger(options.toRevision ?? Number.MAX_SAFE_INTEGER, 'toRevision');
      const remaining = nonNegativeInteger(options.maxCount ?? Number.MAX_SAFE_INTEGER, 'maxCount');
      return {
        cursor: from,
        remaining,
        read: (cursor, limit) => this.query('reading a stream', () => this.statements.readStreamPage.all(streamId, cursor, to, limit)),
        after: (last) => last[REVISION] + 1,
      };
    });
  }

  /** Reads up to the head position as of the first page; events appended meanwhile are not included. */
  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return new EventPages(READ_ALL_PAGE_SIZE, () => {
      const after = nonNegativeInteger(options.after ?? 0, 'after');
      const remaining = nonNegativeInteger(options.maxCount ?? Number.MAX_SAFE_INTEGER, 'maxCount');
      const upTo = this.query('reading $all', () => this.statements.headPosition.get()!.head);
      return {
        cursor: after,
        remaining,
        read: (cursor, limit) => (cursor < upTo ? this.query('reading $all', () => this.statements.readAllPage.all(cursor, upTo, limit)) : []),
        after: (last) => last[POSITION],
      };
    });
  }

  subscribeToAll(options: SubscribeOptions): EventSubscription {
    if (this.closing) throw new EventStoreUnavailableError('event store is closed');
    const after = nonNegativeInteger(options.after, 'after');
    const maxBatchSize = positiveInteger(options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE, 'maxBatchSize');
    const subscription = new SqliteSubscription(
      {
        readAfter: (position, limit) =>
          this.query('reading $all', () => this.statements.readAllPage.all(position, Number.MAX_SAFE_INTEGER, limit).map(toRecordedEvent)),
        onCommitted: (listener) => this.onCommitted(listener),
      },
      after,
      maxBatchSize,
      this.pollIntervalMs,
      (closed) => this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Calls `listener` after every commit of this instance that wrote events; returns an unsubscribe function. */
  onCommitted(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Another instance (the writer, on another thread) committed events: wake the subscriptions now. */
  notifyCommitted(): void {
    for (const listener of this.commitListeners) listener();
  }

  async positionBefore(position: number): Promise<number> {
    return this.query('reading a position', () => this.statements.positionBefore.get(position)!.before);
  }

  async headPosition(): Promise<number> {
    return this.query('reading the head position', () => this.statements.headPosition.get()!.head);
  }

  async ping(): Promise<void> {
    this.query('pinging', () => this.statements.headPosition.get());
  }

  /** Writes what is queued, ends the subscriptions, stops checkpointing and closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.queue.drain();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.checkpointer?.stop();
    await this.worker?.stop();
    this.db.close();
  }

  private writeBatch(taken: QueuedAppend[]): void | Promise<void> {
    const { batch, requests } = toRequests(taken);
    if (batch.length === 0) return;
    const recordedAt = new Date().toISOString();
    if (this.worker?.alive) {
      return this.worker.write(requests, recordedAt).then(
        (written) =>
          this.settle(
            batch,
            written.map((o) => (o.ok ? o : { ok: false, error: appendError(o.failure) })),
          ),
        (error: unknown) => this.fail(batch, batchFailure(error)),
      );
    }
    let outcomes;
    try {
      outcomes = writeAppendBatch(this.writeHere, requests, recordedAt);
    } catch (error) {
      this.fail(batch, error);
      return;
    }
    this.settle(batch, outcomes);
  }

  private fail(batch: QueuedAppend[], error: unknown): void {
    for (const append of batch) append.reject(error);
  }

  private settle(batch: QueuedAppend[], outcomes: AppendOutcome[]): void {
    let written = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) {
        written += outcome.written;
        batch[i].resolve(outcome.result);
      } else {
        batch[i].reject(outcome.error);
      }
    });
    if (written > 0) for (const listener of this.commitListeners) listener();
  }

  /** Runs a synchronous read, mapping storage faults (and a closed store) to EventStoreUnavailableError. */
  private query<T>(doing: string, read: () => T): T {
    if (!this.db.open) throw new EventStoreUnavailableError('event store is closed');
    try {
      return read();
    } catch (error) {
      throw toStoreError(error, doing);
    }
  }
}

/**
 * What the writer needs of a group's appends, their callbacks staying on this thread: each append's
 * `beforeWrite` called (one after another), then its events serialized. An append whose
 * `beforeWrite` or serialization throws fails alone and leaves the group.
 */
function toRequests(taken: QueuedAppend[]): { batch: QueuedAppend[]; requests: AppendRequest[] } {
  const batch: QueuedAppend[] = [];
  const requests: AppendRequest[] = [];
  for (const append of taken) {
    try {
      append.beforeWrite?.(append.events);
      requests.push({ streamId: append.streamId, events: append.events.map(serializeEvent), expected: append.expected });
      batch.push(append);
    } catch (error) {
      append.reject(error);
    }
  }
  return { batch, requests };
}

function startAppendWorker(filename: string, options: ConstructorParameters<typeof AppendWorker>[1]): AppendWorker | undefined {
  try {
    return new AppendWorker(filename, options);
  } catch {
    return undefined; // appends are then written on this thread
  }
}
