import type { Worker } from 'node:worker_threads';
import { startWorker } from '#event-store';
import type { ProjectorLogger, ProjectorStatus, ReadModelGenerations, RebuildStatus } from '#read-models';
import type { FromProjectorThread, ProjectionsSnapshot, ProjectorThreadData, ToProjectorThread } from './projector-thread.messages.js';
import { RebuildRunningError } from './leased-rebuild.js';

export interface ProjectorThreadOptions extends ProjectorThreadData {
  /** The API's view of the current generation: told at once when the thread switches. */
  generations: ReadModelGenerations;
  logger: ProjectorLogger;
  /** First delay before a thread that died is started again; doubles up to 30 s. Default 500 ms. */
  restartDelayMs?: number;
}

interface Waiter {
  position: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

const MAX_RESTART_DELAY_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const REBUILD_REPLY_TIMEOUT_MS = 10_000;

/**
 * The projections of the embedded stores, run on a worker thread (projector.worker.ts), seen from
 * the API: the same status, rebuild and read-your-writes surface as an in-process
 * GenerationalProjector, answered from what the thread last reported. A thread that dies is
 * started again (with backoff) from its checkpoints; meanwhile the status says it is not running.
 */
export class ProjectorThread {
  private worker: Worker | undefined;
  private running = false;
  private snapshot: ProjectionsSnapshot | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly rebuildReplies = new Map<number, (reply: Extract<FromProjectorThread, { type: 'rebuild-started' }>) => void>();
  private nextRequest = 1;
  private restartDelay: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private startedOnce: Promise<void> | undefined;

  constructor(private readonly options: ProjectorThreadOptions) {
    this.restartDelay = options.restartDelayMs ?? 500;
  }

  /** Starts the thread; resolves once its projections follow the log (or have failed once and retry). */
  start(): Promise<void> {
    if (this.running) return this.startedOnce ?? Promise.resolve();
    this.running = true;
    this.startedOnce = this.spawn();
    return this.startedOnce;
  }

  /** The API committed events: wake the thread's subscription (coalesced by the caller's commits). */
  committed(): void {
    this.post({ type: 'committed' });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'stop' } satisfies ToProjectorThread);
      const forced = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(forced);
    }
    for (const waiter of [...this.waiters]) this.finish(waiter, false);
  }

  status(): ProjectorStatus & { generation: number } {
    const status = this.snapshot?.status ?? { running: false, projections: [], generation: 0 };
    return { ...status, running: status.running && this.worker !== undefined };
  }

  rebuildStatus(): RebuildStatus {
    return this.snapshot?.rebuild ?? { state: 'idle', generation: 0 };
  }

  /** Starts a rebuild in the thread unless one is running; answers the status either way. */
  rebuild(): Promise<RebuildStatus> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the projections are not running'));
    const id = this.nextRequest++;
    return new Promise<RebuildStatus>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.rebuildReplies.delete(id);
        reject(new Error('the projector thread did not answer'));
      }, REBUILD_REPLY_TIMEOUT_MS);
      this.rebuildReplies.set(id, (reply) => {
        clearTimeout(timer);
        this.rebuildReplies.delete(id);
        if (reply.rebuild) resolve(reply.rebuild);
        else if (reply.running) reject(Object.assign(new RebuildRunningError(), reply.error && { message: reply.error }));
        else reject(new Error(reply.error ?? 'the rebuild did not start'));
      });
      worker.postMessage({ type: 'rebuild', id } satisfies ToProjectorThread);
    });
  }

  /** The lowest checkpoint of the current generation's projections, as last reported. */
  async checkpoint(): Promise<number> {
    return this.current();
  }

  /** True as soon as the current generation has committed `position`; false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    if (this.current() >= position) return Promise.resolve(true);
    if (!this.running) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = { position, resolve, timer: setTimeout(() => this.finish(waiter, false), Math.max(0, timeoutMs)) };
      this.waiters.add(waiter);
    });
  }

  /**
   * From the latest report. It may go down when a rebuild switches generations (the new one may
   * not have reached what the old one had), which is why waits are not a CheckpointWatcher's,
   * whose checkpoints only grow.
   */
  private current(): number {
    const projections = this.snapshot?.status.projections ?? [];
    if (projections.length === 0) return 0;
    let min = Infinity;
    for (const projection of projections) min = Math.min(min, projection.checkpoint);
    return min;
  }

  private spawn(): Promise<void> {
    const { eventsFile, viewsFile, leasesFile, leaseOwner, leaseTtlMs } = this.options;
    const data: ProjectorThreadData = { eventsFile, viewsFile, leasesFile, leaseOwner, leaseTtlMs };
    const worker = startWorker(new URL('./projector.worker.js', import.meta.url), { workerData: data });
    this.worker = worker;
    return new Promise<void>((started) => {
      worker.on('message', (message: FromProjectorThread) => {
        if (message.type === 'started') {
          this.restartDelay = this.options.restartDelayMs ?? 500;
          started();
        } else this.receive(message);
      });
      worker.on('error', (error) => this.options.logger.error('the projector thread failed', error));
      worker.once('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        for (const reply of [...this.rebuildReplies.values()]) reply({ type: 'rebuild-started', id: 0, error: 'the projector thread stopped' });
        started(); // a thread that never started: the status says so, and it is started again
        if (!this.running) return;
        const delay = this.restartDelay;
        this.restartDelay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
        this.options.logger.error(`the projector thread exited (code ${code}); starting it again in ${delay} ms`);
        this.restartTimer = setTimeout(() => {
          if (this.running) void this.spawn();
        }, delay);
      });
    });
  }

  private receive(message: FromProjectorThread): void {
    switch (message.type) {
      case 'progress': {
        this.snapshot = { status: message.status, rebuild: message.rebuild };
        if (message.status.projections.length > 0) this.options.generations.set(message.status.generation);
        const current = this.current();
        for (const waiter of [...this.waiters]) if (current >= waiter.position) this.finish(waiter, true);
        return;
      }
      case 'rebuild-started':
        this.rebuildReplies.get(message.id)?.(message);
        return;
      case 'log':
        if (message.level === 'error') this.options.logger.error(message.message);
        else this.options.logger.log(message.message);
        return;
      case 'started':
      case 'stopped':
        return;
    }
  }

  private post(message: ToProjectorThread): void {
    this.worker?.postMessage(message);
  }

  private finish(waiter: Waiter, reached: boolean): void {
    if (!this.waiters.delete(waiter)) return;
    clearTimeout(waiter.timer);
    waiter.resolve(reached);
  }
}
