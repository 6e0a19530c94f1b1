/**
 * Collects work items and hands them to `flushBatch` together: on the next turn of the event loop
 * (setImmediate, so everything enqueued during the current I/O phase shares one batch), or at once
 * when `maxBatchSize` items are waiting.
 *
 * When `flushBatch` returns a promise (the batch commits elsewhere, e.g. on a worker thread), one
 * batch is in flight at a time: items queued meanwhile wait and go together as the next batch as
 * soon as it settles, so the batch size follows the commit's own latency. `flushBatch` settles its
 * items itself; its promise must not reject.
 */
export class GroupCommitQueue<T> {
  private items: T[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly flushBatch: (batch: T[]) => void | Promise<void>,
    private readonly maxBatchSize: number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  enqueue(item: T): void {
    this.items.push(item);
    if (this.inFlight) return;
    if (this.items.length >= this.maxBatchSize) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Hands what is waiting to `flushBatch` now, unless a batch is in flight (it follows that one). */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.inFlight || this.items.length === 0) return;
    const batch = this.items.length <= this.maxBatchSize ? this.items : this.items.slice(0, this.maxBatchSize);
    this.items = batch === this.items ? [] : this.items.slice(this.maxBatchSize);
    const pending = this.flushBatch(batch);
    if (!pending) {
      if (this.items.length > 0) this.flush();
      return;
    }
    this.inFlight = pending.then(
      () => this.settled(),
      () => this.settled(),
    );
  }

  /** Resolves once everything queued so far (and what queues meanwhile) has been flushed and settled. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight) await this.inFlight;
  }

  private settled(): void {
    this.inFlight = undefined;
    this.flush();
  }
}
