import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * The writer runs with wal_autocheckpoint=0, so no append ever pays for copying the WAL back into
 * the database file. Instead a worker thread with its own connection runs
 * `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs` (PASSIVE never waits for, nor blocks,
 * readers and writers). The worker is unref'd: it never keeps the process alive.
 *
 * Should the worker fail to start or die, checkpoints fall back to an unref'd timer on the
 * writer's connection (blocking the event loop for the checkpoint's duration, but keeping the WAL
 * bounded). The worker is inline source so it runs the same whether the code is compiled or
 * loaded from TypeScript by a test runner.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.filename, { timeout: 0 });
db.pragma('synchronous = FULL');
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ type: 'checkpoint', busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String(error && error.message) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') checkpoint();
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    process.exit(0);
  }
});
`;

export interface CheckpointStats {
  checkpoints: number;
  lastCheckpointError: string | undefined;
  /** 'worker' normally; 'timer' after a worker failure. */
  mode: 'worker' | 'timer' | 'stopped';
}

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
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driverPath, filename: this.filename, intervalMs: this.intervalMs },
    });
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'checkpoint') this.checkpoints += 1;
      if (message.type === 'error') this.lastError = message.message;
    });
    worker.on('error', (error) => this.lastError = error.message);
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
