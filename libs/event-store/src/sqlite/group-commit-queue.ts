/**
 * Collects work items and hands them to `flushBatch` together: on the next turn of the event loop
 * (setImmediate, so everything enqueued during the current I/O phase shares one batch), or at once
 * when `maxBatchSize` items are waiting.
 */
export class GroupCommitQueue<T> {
  private items: T[] = [];
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly flushBatch: (batch: T[]) => void,
    private readonly maxBatchSize: number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  enqueue(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.maxBatchSize) this.flush();
    else this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Hands everything waiting to `flushBatch` now. */
  flush(): void {
    if (this.scheduled !== undefined) {
      clearImmediate(this.scheduled);
      this.scheduled = undefined;
    }
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.flushBatch(batch);
  }
}
