import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventSubscription, RecordedEvent } from '../event-store.port.js';

/** What a subscription needs from the store. */
export interface SubscriptionSource {
  /** Up to `limit` events with position > `after`, in position order. */
  readAfter(after: number, limit: number): RecordedEvent[];
  /** Calls `listener` after every commit of this store instance; returns an unsubscribe function. */
  onCommitted(listener: () => void): () => void;
}

/**
 * A catch-up subscription to $all: reads stored events after the checkpoint in batches, then
 * waits until woken by a commit of this store instance or by the poll timer (which picks up
 * appends from other processes writing to the same file), and reads again.
 *
 * Single consumer: it can be iterated once. `close()` (or leaving a for-await loop) ends it; a
 * pending `next()` then resolves `done`. A failed read (EventStoreUnavailableError) ends it with
 * that error; subscribe again from the last checkpoint.
 */
export class SqliteSubscription implements EventSubscription {
  private closed = false;
  private iterated = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly after: number,
    private readonly maxBatchSize: number,
    private readonly pollIntervalMs: number,
    private readonly onClose: (subscription: SqliteSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent[]> {
    if (this.iterated) throw new Error('a subscription can be iterated only once');
    this.iterated = true;
    return this.batches();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake?.();
    this.onClose(this);
  }

  private async *batches(): AsyncGenerator<RecordedEvent[]> {
    const unsubscribe = this.source.onCommitted(() => this.wake?.());
    let checkpoint = this.after;
    try {
      while (!this.closed) {
        const batch = this.source.readAfter(checkpoint, this.maxBatchSize);
        if (batch.length === 0) {
          await this.waitForCommitOrPoll();
          continue;
        }
        checkpoint = batch[batch.length - 1].position;
        yield batch;
        // Let timers and I/O run between batches, even if the consumer never awaits anything.
        if (!this.closed) await nextTurn();
      }
    } finally {
      unsubscribe();
      this.wake?.();
      await this.close();
    }
  }

  private waitForCommitOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      // Not unref'd on purpose: an open subscription is live work (a projector process may have
      // nothing else keeping it alive). close() clears it.
      const timer = setTimeout(() => done(), this.pollIntervalMs);
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }
}
