/**
 * The WAL checkpointer's thread (see WalCheckpointer): its own connection to the file, running
 * `PRAGMA wal_checkpoint(PASSIVE)` every `intervalMs` (PASSIVE never waits for, nor blocks,
 * readers and writers), until told to stop. A failed checkpoint (a busy or failing file) is tried
 * again at the next tick; appends report real storage faults.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface WalCheckpointWorkerData {
  filename: string;
  intervalMs: number;
}

const port = parentPort!;
const { filename, intervalMs } = workerData as WalCheckpointWorkerData;
const db = new Database(filename, { timeout: 0 });
db.pragma('synchronous = FULL');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // tried again at the next tick
  }
}, intervalMs);

port.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
