import type { Worker } from 'node:worker_threads';
import { startWorker } from '#event-store';
import type { SignedHead } from '#ledger';
import type { AppendedLeaves, HandedLeaves } from './appended-leaves.js';
import type { FromLedgerThread, LedgerThreadData, ToLedgerThread } from './ledger-keeper-thread.messages.js';
import type { LedgerKeeping } from './leased-ledger-keeping.js';

export interface LedgerKeeperThreadOptions extends LedgerThreadData {
  log: { log(line: string): void; error(line: string): void };
  onSigned?: (head: SignedHead) => void;
  /** Leaves of the events this process appends, passed to the thread while it runs (LedgerKeeper.accept). */
  appended?: AppendedLeaves;
  /** First delay before a thread that died is started again; doubles up to 30 s. Default 500 ms. */
  restartDelayMs?: number;
}

/**
 * The keeper thread's nice value. Its work is background work: a head within a second, not within a
 * request. On a busy two-core machine its bursts every 250 ms compete with the request loop and the
 * event writer; at nice 10 it runs in the gaps, and when there are none it still gets about 5 % of a
 * core, where it needs about 3 % at 3,000 events/s.
 */
export const KEEPER_NICE = 10;

const MAX_RESTART_DELAY_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The embedded ledger keeper on a worker thread of its own (ledger-keeper.worker.ts), seen from the
 * process holding the `ledger` lease. A thread that dies is started again with backoff; the tree is
 * rebuilt from where the ledger store says it is, so nothing is lost in between.
 */
export class LedgerKeeperThread implements LedgerKeeping {
  private worker: Worker | undefined;
  private running = false;
  private restartDelay: number;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LedgerKeeperThreadOptions) {
    this.restartDelay = options.restartDelayMs ?? 500;
  }

  /** Resolves once the thread keeps the tree (or has failed to start, and is started again). */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    return this.spawn();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToLedgerThread);
    const forced = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(forced);
  }

  private spawn(): Promise<void> {
    const { eventsFile, ledgerFile, keyFile, intervalMs, maxLeavesPerHead, log } = this.options;
    const data: LedgerThreadData = { eventsFile, ledgerFile, keyFile, intervalMs, maxLeavesPerHead, nice: KEEPER_NICE };
    const worker = startWorker(new URL('./ledger-keeper.worker.js', import.meta.url), { workerData: data });
    this.worker = worker;
    const handOver = (leaves: HandedLeaves): void => worker.postMessage({ type: 'appended', leaves } satisfies ToLedgerThread, [leaves.leaves.buffer]);
    return new Promise<void>((started) => {
      worker.on('message', (message: FromLedgerThread) => {
        switch (message.type) {
          case 'started':
            this.restartDelay = this.options.restartDelayMs ?? 500;
            if (this.running) this.options.appended?.attach(handOver);
            return started();
          case 'signed':
            return this.options.onSigned?.(message.head);
          case 'log':
            return message.level === 'error' ? log.error(message.message) : log.log(message.message);
          case 'stopped':
            return;
        }
      });
      worker.on('error', (error) => log.error(`ledger: the keeper's thread failed: ${error.message}`));
      worker.once('exit', (code) => {
        this.options.appended?.detach(handOver);
        if (this.worker === worker) this.worker = undefined;
        started();
        if (!this.running) return;
        const delay = this.restartDelay;
        this.restartDelay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
        log.error(`ledger: the keeper's thread exited (code ${code}); starting it again in ${delay} ms`);
        this.restartTimer = setTimeout(() => {
          if (this.running) void this.spawn();
        }, delay);
      });
    });
  }
}
