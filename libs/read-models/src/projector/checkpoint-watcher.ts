import type { ReadModelStore } from '../read-model-store.port.js';

export interface CheckpointWatcherOptions {
  store: ReadModelStore;
  /** The projections whose checkpoints must all reach a position. */
  projections: string[];
  /**
   * While someone waits, read the checkpoints from the store this often, so that it works when
   * another process runs the projections. `false`: rely on `notify()` alone (the projector runs in
   * this process). Default 50 ms.
   */
  pollIntervalMs?: number | false;
}

interface Waiter {
  position: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Answers "have all the views processed position P yet?" from the projections' checkpoints, learnt
 * from the in-process projector (`notify`, right after each commit) and/or by polling the store.
 */
export class CheckpointWatcher {
  private readonly store: ReadModelStore;
  private readonly names: string[];
  private readonly pollIntervalMs: number | false;
  private readonly known = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  /** Fed by a projector in this process: no polling. */
  static inProcess(store: ReadModelStore, projections: string[]): CheckpointWatcher {
    return new CheckpointWatcher({ store, projections, pollIntervalMs: false });
  }

  /** For a process that reads views another process projects: polls the store while waited on. */
  static polling(store: ReadModelStore, projections: string[], pollIntervalMs = 50): CheckpointWatcher {
    return new CheckpointWatcher({ store, projections, pollIntervalMs });
  }

  constructor(options: CheckpointWatcherOptions) {
    this.store = options.store;
    this.names = [...new Set(options.projections)];
    const interval = options.pollIntervalMs ?? 50;
    this.pollIntervalMs = interval === false ? false : Math.max(1, interval);
  }

  /** A projection's checkpoint moved (checkpoints only grow; a lower value is ignored). */
  notify(projection: string, position: number): void {
    if (!this.names.includes(projection)) return;
    if (position > (this.known.get(projection) ?? 0)) this.known.set(projection, position);
    this.settle();
  }

  /** The lowest checkpoint as last learnt (0 until learnt; 0 with no projections). */
  current(): number {
    if (this.names.length === 0) return 0;
    let min = Infinity;
    for (const name of this.names) min = Math.min(min, this.known.get(name) ?? 0);
    return min;
  }

  /** The lowest checkpoint, read from the store first when polling. */
  async checkpoint(): Promise<number> {
    if (this.pollIntervalMs !== false) await this.refresh();
    return this.current();
  }

  /**
   * Resolves true as soon as every projection's checkpoint is at or past `position`, false after
   * `timeoutMs` (or when the watcher is closed). With no projections it is true at once.
   */
  async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return true;
    if (this.closed) return false;
    if (this.pollIntervalMs !== false) {
      await this.refresh().catch(() => undefined);
      if (this.reached(position)) return true;
    }
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => this.finish(waiter, false), Math.max(0, timeoutMs)),
      };
      this.waiters.add(waiter);
      this.schedulePoll();
    });
  }

  /** Ends every wait with false and stops polling. */
  close(): void {
    this.closed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    for (const waiter of [...this.waiters]) this.finish(waiter, false);
  }

  private reached(position: number): boolean {
    return this.names.length === 0 || this.current() >= position;
  }

  private finish(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }

  private settle(): void {
    if (this.waiters.size === 0) return;
    const current = this.current();
    for (const waiter of [...this.waiters]) if (current >= waiter.position) this.finish(waiter, true);
  }

  private refresh(): Promise<void> {
    // One read at a time, shared by everyone who asks meanwhile.
    if (this.polling) return this.polling;
    const polling = this.readCheckpoints().finally(() => {
      if (this.polling === polling) this.polling = undefined;
    });
    this.polling = polling;
    return polling;
  }

  private async readCheckpoints(): Promise<void> {
    for (const name of this.names) {
      const position = await this.store.checkpoint(name);
      if (position > (this.known.get(name) ?? 0)) this.known.set(name, position);
    }
    this.settle();
  }

  private schedulePoll(): void {
    if (this.pollIntervalMs === false || this.pollTimer || this.closed || this.waiters.size === 0) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      // A failing read (store briefly unavailable) just means another try; waits end on their timeout.
      this.refresh()
        .catch(() => undefined)
        .finally(() => this.schedulePoll());
    }, this.pollIntervalMs);
    this.pollTimer.unref();
  }
}
