/**
 * The WAL checkpointer's thread (see WalCheckpointer): its own connection to the file, running
 * `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs` (PASSIVE never waits for, nor blocks,
 * readers and writers) and reporting each one, until told to stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface WalCheckpointWorkerData {
  filename: string;
  intervalMs: number;
}

export type WalCheckpointReport = { type: 'checkpoint'; busy: number; log: number; checkpointed: number } | { type: 'error'; message: string };

const port = parentPort!;
const { filename, intervalMs } = workerData as WalCheckpointWorkerData;
const db = new Database(filename, { timeout: 0 });
db.pragma('synchronous = FULL');

const report = (message: WalCheckpointReport): void => port.postMessage(message);
const timer = setInterval(() => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    report({ type: 'checkpoint', busy: row!.busy, log: row!.log, checkpointed: row!.checkpointed });
  } catch (error) {
    report({ type: 'error', message: String((error as Error | undefined)?.message) });
  }
}, intervalMs);

port.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
