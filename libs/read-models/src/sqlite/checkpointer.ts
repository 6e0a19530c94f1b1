import type { Worker } from 'node:worker_threads';
import { startWorker } from '#event-store';
import type { CheckpointWorkerData, FromCheckpointWorker, ToCheckpointWorker } from './checkpoint.worker.js';

/** How often the worker checkpoints once the WAL is a quarter of `restartPages`. */
const CHECKPOINT_CATCH_UP_MS = 50;
/** How long a commit waits at most for the checkpointer to let the WAL start over. */
const WAL_RESTART_TIMEOUT_MS = 5000;

/**
 * Checkpoints the WAL into the database file from a worker thread with its own connection
 * (checkpoint.worker.ts: `wal_checkpoint(PASSIVE)`, which never blocks readers or writers), so that
 * no projection commit pays for the copy and its fsync on the event loop (the writer runs with
 * wal_autocheckpoint=0).
 *
 * The WAL starts over from its beginning only when a write transaction begins after a checkpoint
 * has copied all of it, which under a steady stream of commits (a rebuild, a projector catching up)
 * a passive checkpoint never sees: the WAL grew without bound (gigabytes within a rebuild of a
 * million events, every page read searching it, the final checkpoint copying it all). So once the
 * WAL is past `restartPages`, the worker tells the store, which after its next commit has it run a
 * `wal_checkpoint(RESTART)` while the next batch is projected: it copies what the passive
 * checkpoints left (little: past a quarter of `restartPages` they run every `catchUpMs` while
 * commits come). The commit after waits for it (asynchronously: the event loop runs on) and writes
 * the WAL from its beginning again. The worker is unref'd.
 */
export class Checkpointer {
  /** The WAL is past `restartPages`: it should start over (`restartWal`). */
  walTooLong = false;
  /** The restart in flight: no commit may begin before it ends. */
  restarting: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromCheckpointWorker) => {
      if (message === 'wal-long') this.walTooLong = true;
    });
  }

  static start(filename: string, intervalMs: number, restartPages: number): Checkpointer | undefined {
    try {
      const workerData: CheckpointWorkerData = { filename, intervalMs, catchUpMs: Math.min(intervalMs, CHECKPOINT_CATCH_UP_MS), restartPages };
      const worker = startWorker(new URL('./checkpoint.worker.js', import.meta.url), { workerData });
      worker.on('error', () => undefined);
      worker.unref();
      return new Checkpointer(worker);
    } catch {
      return undefined;
    }
  }

  /**
   * Has the worker checkpoint all of the WAL, so that the next commit writes it from its beginning;
   * resolves once done (best effort: also on timeout or exit).
   */
  restartWal(): Promise<void> {
    this.restarting ??= new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        this.worker.off('exit', done);
        this.walTooLong = false;
        this.restarting = undefined;
        resolve();
      };
      const onMessage = (message: unknown): void => {
        if (message === 'restarted') done();
      };
      const timer = setTimeout(done, WAL_RESTART_TIMEOUT_MS);
      this.worker.on('message', onMessage);
      this.worker.once('exit', done);
      this.post('restart');
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.post('stop');
    const forced = setTimeout(() => void this.worker.terminate(), 2000);
    await exited;
    clearTimeout(forced);
  }

  private post(message: ToCheckpointWorker): void {
    this.worker.postMessage(message);
  }
}
