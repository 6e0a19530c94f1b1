import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { startWorker } from '../start-worker.js';
import type { WalCheckpointReport, WalCheckpointWorkerData } from './wal-checkpoint.worker.js';

export interface CheckpointStats {
  checkpoints: number;
  lastCheckpointError: string | undefined;
  /** 'worker' normally; 'timer' after a worker failure. */
  mode: 'worker' | 'timer' | 'stopped';
}

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
  private checkpoints = 0;
  private lastError: string | undefined;

  constructor(
    private readonly filename: string,
    private readonly writer: Database.Database,
    private readonly intervalMs: number,
  ) {
    try {
      this.startWorker();
    } catch (error) {
      this.fallBackToTimer(error);
    }
  }

  stats(): CheckpointStats {
    return {
      checkpoints: this.checkpoints,
      lastCheckpointError: this.lastError,
      mode: this.stopped ? 'stopped' : this.worker ? 'worker' : 'timer',
    };
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
    worker.on('message', (message: WalCheckpointReport) => {
      if (message.type === 'checkpoint') this.checkpoints += 1;
      if (message.type === 'error') this.lastError = message.message;
    });
    worker.on('error', (error) => (this.lastError = error.message));
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.fallBackToTimer(new Error(this.lastError ?? 'checkpoint worker exited'));
      }
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
  }

  private fallBackToTimer(error: unknown): void {
    if (this.stopped) return;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.timer = setInterval(() => {
      try {
        this.writer.pragma('wal_checkpoint(PASSIVE)');
        this.checkpoints += 1;
      } catch (e) {
        this.lastError = e instanceof Error ? e.message : String(e);
      }
    }, this.intervalMs);
    this.timer.unref();
  }
}
