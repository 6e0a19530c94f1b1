/**
 * One queue per stream: items sent while a batch of the stream is being processed wait and form
 * the next batch. `process` settles its batch and returns the items to run again after it.
 */
export class StreamQueues<T> {
  private readonly queues = new Map<string, T[]>();

  enqueue(streamId: string, item: T, process: (streamId: string, batch: T[]) => Promise<T[]>): void {
    const queue = this.queues.get(streamId);
    if (queue) {
      queue.push(item);
      return;
    }
    const fresh = [item];
    this.queues.set(streamId, fresh);
    void this.drain(streamId, fresh, process);
  }

  private async drain(streamId: string, queue: T[], process: (streamId: string, batch: T[]) => Promise<T[]>): Promise<void> {
    try {
      while (queue.length > 0) {
        const again = await process(streamId, queue.splice(0, queue.length));
        queue.unshift(...again);
      }
    } finally {
      this.queues.delete(streamId);
    }
  }
}
