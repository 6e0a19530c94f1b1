import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { createAppendWriter, type AppendRequest, type WrittenAppend } from './append-batch-writer.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { isStorageFaultWith, STORAGE_FAULT_CODES } from './sqlite-errors.js';

export interface AppendWorkerOptions {
  busyTimeoutMs: number;
  /** The file's page quota (`max_page_count`), a per-connection setting. */
  maxPageCount?: number;
  /** journal_size_limit, and the WAL size past which the writer has it start over (see the source). */
  maxWalBytes: number;
}

/**
 * The worker's source: its own connection to the file, with the writer's settings, running
 * `createAppendWriter`'s and `isStorageFaultWith`'s own source (inline, so it runs the same compiled
 * or loaded from TypeScript by a test runner). One message in, one transaction, one answer out.
 *
 * The WAL only starts over when a write begins after a checkpoint copied all of it, which the
 * store's passive checkpoints never manage while appends keep coming: it grew by gigabytes a
 * minute under load. So after answering a batch, once the WAL is past `maxWalBytes`, the writer
 * itself checkpoints what is left (RESTART, waiting at most 100 ms for readers); the next batch
 * then writes the WAL from its start, and journal_size_limit truncates the file back.
 */
const workerSource = (): string => `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driverPath);
const walFile = workerData.filename + '-wal';
let db;
let write;
try {
  db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('journal_size_limit = ' + workerData.maxWalBytes);
  if (workerData.maxPageCount !== undefined) db.pragma('max_page_count = ' + workerData.maxPageCount);
  const isStorageFault = (error) => (${isStorageFaultWith.toString()})(error, workerData.faultCodes);
  write = (${createAppendWriter.toString()})(db, isStorageFault, workerData.genesisHash);
} catch (error) {
  parentPort.postMessage({ type: 'start-failed', message: String(error && error.message) });
  process.exit(1);
}
const restartLongWal = () => {
  let size = 0;
  try {
    size = statSync(walFile).size;
  } catch {}
  if (size <= workerData.maxWalBytes) return;
  try {
    db.pragma('busy_timeout = 100');
    db.pragma('wal_checkpoint(RESTART)');
  } catch {
  } finally {
    try { db.pragma('busy_timeout = ' + workerData.busyTimeoutMs); } catch {}
  }
};
parentPort.on('message', (message) => {
  if (message.type === 'stop') {
    db.close();
    process.exit(0);
  }
  try {
    parentPort.postMessage({ type: 'written', id: message.id, outcomes: write(message.requests, message.recordedAt) });
  } catch (error) {
    parentPort.postMessage({
      type: 'failed',
      id: message.id,
      error: { message: String(error && error.message), code: error && error.code, syscall: error && error.syscall },
    });
  }
  restartLongWal();
});
`;

type Reply =
  | { type: 'written'; id: number; outcomes: WrittenAppend[] }
  | { type: 'failed'; id: number; error: { message: string; code?: string; syscall?: string } }
  | { type: 'start-failed'; message: string };

interface InFlight {
  resolve(outcomes: WrittenAppend[]): void;
  reject(error: unknown): void;
}

/**
 * Writes append batches on a worker thread with its own connection, so that the inserts and the
 * fsync of every commit (synchronous=FULL) never block the event loop: requests keep being parsed,
 * decided and queued while a batch commits, and the next batch is whatever queued meanwhile.
 *
 * A batch answers only after its COMMIT returned. Should the worker fail to start or die, `alive`
 * turns false, batches in flight reject (their outcome is unknown, as after a crash: never
 * acknowledged), and the store writes on its own connection from then on.
 */
export class AppendWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private dead: Error | undefined;

  constructor(filename: string, options: AppendWorkerOptions) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource(), {
      eval: true,
      workerData: { driverPath, filename, faultCodes: STORAGE_FAULT_CODES, genesisHash: GENESIS_HASH, ...options },
    });
    this.worker.on('message', (reply: Reply) => this.onReply(reply));
    this.worker.on('error', (error) => this.die(error));
    this.worker.on('exit', (code) => this.die(new Error(`the append worker exited (code ${code})`)));
    // Referenced only while a batch is in flight: an idle store never keeps the process alive.
    this.worker.unref();
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** Commits one batch; rejects with the error that aborted the whole batch (storage fault, worker death). */
  write(requests: readonly AppendRequest[], recordedAt: string): Promise<WrittenAppend[]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<WrittenAppend[]>((resolve, reject) => {
      if (this.inFlight.size === 0) this.worker.ref();
      this.inFlight.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'write', id, requests, recordedAt });
    });
  }

  /** Lets the worker finish what it was given, close its connection and exit. */
  async stop(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ type: 'stop' });
    const forced = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(forced);
  }

  private onReply(reply: Reply): void {
    if (reply.type === 'start-failed') {
      this.die(new Error(`the append worker could not open the store: ${reply.message}`));
      return;
    }
    const waiting = this.inFlight.get(reply.id);
    if (!waiting) return;
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) this.worker.unref();
    if (reply.type === 'written') waiting.resolve(reply.outcomes);
    else waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
  }

  private die(error: Error): void {
    this.dead ??= error;
    for (const waiting of this.inFlight.values()) waiting.reject(this.dead);
    this.inFlight.clear();
  }
}
