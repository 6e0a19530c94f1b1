import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, type EventSubscription, type RecordedEvent } from '../event-store.port.js';
import { toRecordedEvent } from './event-records.js';

/** What this subscription needs of the client's `$all` subscription (a Readable of resolved events). */
export interface LiveEventSource {
  on(event: 'data', listener: (event: ResolvedEvent) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  unsubscribe(): Promise<void>;
}

export interface KurrentDbSubscriptionOptions {
  /** Opens the client subscription (called on the first iteration). */
  open: () => LiveEventSource;
  /** Deliver events with a position strictly greater than this. */
  after: number;
  maxBatchSize: number;
  /** Maps a client error to the port's error (conflict / unavailable / as is). */
  toError: (error: unknown) => unknown;
  /** Told once when the subscription closes. */
  onClose?: () => void;
}

/**
 * A catch-up subscription to `$all` on KurrentDB, as the port's batches. Events are buffered as the
 * server pushes them and handed out in batches of whatever has arrived (up to `maxBatchSize`);
 * the server stream is paused while the buffer is full. Positions at or before the checkpoint are
 * dropped, so a redelivery never reaches the consumer twice.
 *
 * Single consumer, iterated once. `close()` (or leaving a for-await loop) ends it: a pending
 * `next()` resolves `done`. A server error or a server-side end ends it with
 * EventStoreUnavailableError (subscribe again from the last checkpoint).
 */
export class KurrentDbSubscription implements EventSubscription {
  private closed = false;
  private iterated = false;
  private source: LiveEventSource | undefined;
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: KurrentDbSubscriptionOptions) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent[]> {
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.batches();
  }

  close(): Promise<void> {
    if (!this.closed) this.options.onClose?.();
    this.closed = true;
    this.wakeUp();
    this.stopping ??= this.source ? this.source.unsubscribe().catch(() => undefined) : Promise.resolve();
    return this.stopping;
  }

  private async *batches(): AsyncGenerator<RecordedEvent[]> {
    if (this.closed) return;
    const { maxBatchSize, toError } = this.options;
    const highWater = maxBatchSize * 4;
    const queue: RecordedEvent[] = [];
    let failure: unknown;
    let ended = false;
    let paused = false;
    let last = this.options.after;
    const source = this.options.open();
    this.source = source;
    source.on('data', (resolved) => {
      if (failure !== undefined || this.closed) return;
      try {
        const event = toRecordedEvent(resolved);
        if (event.position <= last) return; // at or before the checkpoint: already delivered
        last = event.position;
        queue.push(event);
      } catch (error) {
        failure = error;
      }
      if (queue.length >= highWater && !paused) {
        paused = true;
        source.pause();
      }
      this.wakeUp();
    });
    // Stays attached after close(): the client reports the cancellation as an error event, and an
    // 'error' with no listener would crash the process.
    source.on('error', (error) => {
      if (!this.closed) failure ??= toError(error);
      this.wakeUp();
    });
    const onEnd = () => {
      ended = true;
      this.wakeUp();
    };
    source.on('end', onEnd);
    source.on('close', onEnd);
    try {
      while (!this.closed) {
        if (queue.length === 0) {
          if (failure !== undefined) throw failure;
          if (ended) throw new EventStoreUnavailableError('the KurrentDB server ended the $all subscription');
          await new Promise<void>((resolve) => (this.wake = resolve));
          // Let what the server has already sent arrive too, so the batch holds all of it.
          if (!this.closed && queue.length > 0 && queue.length < maxBatchSize) await nextTurn();
          continue;
        }
        const batch = queue.splice(0, maxBatchSize);
        if (paused && queue.length < maxBatchSize) {
          paused = false;
          source.resume();
        }
        yield batch;
      }
    } finally {
      await this.close();
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
