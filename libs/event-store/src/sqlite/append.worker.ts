/**
 * The append worker's thread (see AppendWorker): its own connection to the file, with the writer's
 * settings, running createAppendWriter. One message in, one transaction, one answer out.
 *
 * The WAL only starts over when a write begins after a checkpoint copied all of it, which the
 * store's passive checkpoints never manage while appends keep coming: it grew by gigabytes a
 * minute under load. So after answering a batch, once the WAL is past `maxWalBytes`, the writer
 * itself checkpoints what is left (RESTART, waiting at most 100 ms for readers); the next batch
 * then writes the WAL from its start, and journal_size_limit truncates the file back.
 */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createAppendWriter, type AppendBatchWrite } from './append-batch-writer.js';
import type { AppendWorkerData, AppendWorkerReply, AppendWorkerRequest } from './append-worker.messages.js';

const port = parentPort!;
const options = workerData as AppendWorkerData;
const walFile = `${options.filename}-wal`;
let db: Database.Database;
let write: AppendBatchWrite;
try {
  db = new Database(options.filename, { timeout: options.busyTimeoutMs });
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${options.maxWalBytes}`);
  if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${options.maxPageCount}`);
  write = createAppendWriter(db);
} catch (error) {
  reply({ type: 'start-failed', message: String((error as Error | undefined)?.message) });
  process.exit(1);
}

function reply(message: AppendWorkerReply): void {
  port.postMessage(message);
}

function restartLongWal(): void {
  let size = 0;
  try {
    size = statSync(walFile).size;
  } catch {
    // no WAL file: nothing to restart
  }
  if (size <= options.maxWalBytes) return;
  try {
    db.pragma('busy_timeout = 100');
    db.pragma('wal_checkpoint(RESTART)');
  } catch {
    // readers held on: the next batch tries again
  } finally {
    try {
      db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    } catch {
      // the connection is failing; the next batch reports it
    }
  }
}

port.on('message', (message: AppendWorkerRequest) => {
  if (message.type === 'stop') {
    db.close();
    process.exit(0);
  }
  try {
    reply({ type: 'written', id: message.id, outcomes: write(message.requests, message.recordedAt) });
  } catch (error) {
    const { message: text, code, syscall } = (error ?? {}) as { message?: unknown; code?: string; syscall?: string };
    reply({ type: 'failed', id: message.id, error: { message: String(text), code, syscall } });
  }
  restartLongWal();
});
