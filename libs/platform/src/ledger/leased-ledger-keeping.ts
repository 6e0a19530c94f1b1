import { LeaseKeeper, type LeaseStore } from '#leases';

/** The lease under which exactly one process (an API or the projector process) extends the tree and signs its heads. */
export const LEDGER_LEASE = 'ledger';

/** A keeper that can be started and stopped: LedgerKeeper on this thread, or LedgerKeeperThread. */
export interface LedgerKeeping {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

export interface LeasedLedgerKeepingOptions {
  leases: { store: LeaseStore; owner: string; ttlMs: number };
  /** A fresh keeper, started while this process holds the lease and stopped as soon as it does not. */
  create: () => LedgerKeeping;
  logger: { log(line: string): void; warn(line: string): void };
}

/**
 * The tree's keeper under the `ledger` lease (DATA_DIR/leases.sqlite, or MongoDB): of every process
 * sharing the stores exactly one extends and signs; the others serve heads and proofs from the
 * shared ledger store, and one of them takes over within the lease's ttl when the holder dies.
 * The store's size guard (LedgerStore.extend) stays beneath it, so a holder paused past its lease
 * and waking up beside its successor still cannot make the tree diverge.
 */
export class LeasedLedgerKeeping {
  private current: LedgerKeeping | undefined;
  private readonly lease: LeaseKeeper;

  constructor(options: LeasedLedgerKeepingOptions) {
    const { store, owner, ttlMs } = options.leases;
    this.lease = new LeaseKeeper({
      store,
      name: LEDGER_LEASE,
      owner,
      ttlMs,
      logger: options.logger,
      onAcquired: async () => {
        const keeper = options.create();
        this.current = keeper;
        // Not awaited: no renewal is tried until this returns, and a thread may take longer to start
        // than the lease lasts (stop() is safe on a keeper still starting).
        void Promise.resolve(keeper.start()).catch((error: unknown) =>
          options.logger.warn(`ledger: the keeper failed to start: ${error instanceof Error ? error.message : String(error)}`),
        );
      },
      onLost: async () => {
        const keeper = this.current;
        this.current = undefined;
        await keeper?.stop();
      },
    });
  }

  /** True while this process holds the lease and keeps the tree. */
  get keepsHere(): boolean {
    return this.current !== undefined;
  }

  start(): void {
    this.lease.start();
  }

  /** Stops the keeper, then releases the lease so another process takes over at once. */
  stop(): Promise<void> {
    return this.lease.stop();
  }
}
