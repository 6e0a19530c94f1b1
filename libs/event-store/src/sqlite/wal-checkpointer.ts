import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startWorker } from '../start-worker.js';
import type { WalCheckpointWorkerData } from './wal-checkpoint.worker.js';

/**
 * The writer runs with wal_autocheckpoint=0, so no append ever pays for copying the WAL back into
 * the database file. Instead a worker thread with its own connection (wal-checkpoint.worker.ts)
 * checkpoints it every `intervalMs`. The worker is unref'd: it never keeps the process alive.
 *
 * Should the worker fail to start or die, checkpoints fall back to an unref'd timer on the
 * writer's connection (blocking the event loop for the checkpoint's duration, but keeping the WAL
 * bounded).
 */
export class WalCheckpointer {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly filename: string,
    private readonly writer: Database.Database,
    private readonly intervalMs: number,
  ) {
    try {
      this.startWorker();
    } catch {
      this.fallBackToTimer();
    }
  }

  /** Stops checkpointing; resolves once the worker has closed its connection and exited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const forced = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(forced);
  }

  private startWorker(): void {
    const workerData: WalCheckpointWorkerData = { filename: this.filename, intervalMs: this.intervalMs };
    const worker = startWorker(new URL('./wal-checkpoint.worker.js', import.meta.url), { workerData });
    worker.on('error', () => undefined); // it then exits, see below
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.fallBackToTimer();
      }
    });
    worker.unref();
    this.worker = worker;
  }

  private fallBackToTimer(): void {
    if (this.stopped) return;
    this.timer = setInterval(() => {
      try {
        this.writer.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // A busy or failing file: the next tick tries again; appends report real storage faults.
      }
    }, this.intervalMs);
    this.timer.unref();
  }
}
