import type { Worker } from 'node:worker_threads';
import { startWorker } from '../start-worker.js';
import type { AppendRequest, WrittenAppend } from './append-batch-writer.js';
import type { AppendWorkerData, AppendWorkerOptions, AppendWorkerReply, AppendWorkerRequest } from './append-worker.messages.js';

export type { AppendWorkerOptions };

interface InFlight {
  resolve(outcomes: WrittenAppend[]): void;
  reject(error: unknown): void;
}

/**
 * Writes append batches on a worker thread (append.worker.ts) with its own connection, so that the inserts and the
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
    const workerData: AppendWorkerData = { filename, ...options };
    this.worker = startWorker(new URL('./append.worker.js', import.meta.url), { workerData });
    this.worker.on('message', (reply: AppendWorkerReply) => this.onReply(reply));
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
      this.post({ type: 'write', id, requests, recordedAt });
    });
  }

  /** Lets the worker finish what it was given, close its connection and exit. */
  async stop(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.post({ type: 'stop' });
    const forced = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(forced);
  }

  private post(message: AppendWorkerRequest): void {
    this.worker.postMessage(message);
  }

  private onReply(reply: AppendWorkerReply): void {
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
