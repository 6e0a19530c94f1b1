/**
 * The read-model store's WAL checkpointer thread (see Checkpointer): its own connection, running
 * `wal_checkpoint(PASSIVE)` every `intervalMs` (every `catchUpMs` while a long WAL keeps growing),
 * telling the store when the WAL is past `restartPages`, and running `wal_checkpoint(RESTART)`
 * when the store asks for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointWorkerData {
  filename: string;
  intervalMs: number;
  catchUpMs: number;
  restartPages: number;
}

/** To the worker: 'restart' (answered 'restarted') or 'stop'. From it: 'wal-long', 'restarted'. */
export type ToCheckpointWorker = 'restart' | 'stop';
export type FromCheckpointWorker = 'wal-long' | 'restarted';

const port = parentPort!;
const { filename, intervalMs, catchUpMs, restartPages } = workerData as CheckpointWorkerData;
const db = new Database(filename, { timeout: 0 });
db.pragma('synchronous = FULL');
const tell = (message: FromCheckpointWorker): void => port.postMessage(message);

let timer: NodeJS.Timeout;
let lastLog = 0;
function checkpoint(): void {
  let delay = intervalMs;
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    if (result!.log >= restartPages) tell('wal-long');
    else if (result!.log >= restartPages / 4 && result!.log !== lastLog) delay = catchUpMs;
    lastLog = result!.log;
  } catch {
    // busy or failing: the next round tries again
  }
  timer = setTimeout(checkpoint, delay);
}
timer = setTimeout(checkpoint, intervalMs);

port.on('message', (message: ToCheckpointWorker) => {
  if (message === 'restart') {
    try {
      db.pragma('busy_timeout = 100');
      db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // readers held on: the WAL starts over at a later restart
    } finally {
      try {
        db.pragma('busy_timeout = 0');
      } catch {
        // the connection is failing; the store's own statements report it
      }
    }
    tell('restarted');
    return;
  }
  clearTimeout(timer);
  db.close();
  process.exit(0);
});
