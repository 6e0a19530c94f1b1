import { LeaseKeeper, LEASES, type LeaseStore } from '#leases';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

export interface LeasedDispatchOptions {
  dispatcher: WebhookDispatcher;
  leases: { store: LeaseStore; owner: string; ttlMs: number };
  /** How often the holder looks for webhooks created, deleted or replayed through other instances. Default 1000 ms. */
  syncEveryMs?: number;
  logger: { log(message: string): void; warn(message: string): void };
}

/**
 * The webhook dispatcher under the `webhook-dispatch` lease (SQLite in DATA_DIR, or MongoDB): of all
 * the API processes sharing the stores exactly one delivers. It stops at once when it loses the
 * lease (or cannot renew it in time); another takes over within the lease's ttl when it dies.
 */
export class LeasedDispatch {
  private readonly keeper: LeaseKeeper;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  constructor(private readonly options: LeasedDispatchOptions) {
    const { dispatcher, leases, logger } = options;
    this.keeper = new LeaseKeeper({
      store: leases.store,
      name: LEASES.webhookDispatch,
      owner: leases.owner,
      ttlMs: leases.ttlMs,
      logger,
      onAcquired: async () => {
        dispatcher.start();
        this.syncTimer = setInterval(() => this.sync(), options.syncEveryMs ?? 1000);
        this.syncTimer.unref();
      },
      onLost: async () => {
        clearInterval(this.syncTimer);
        this.syncTimer = undefined;
        await dispatcher.stop();
        await this.syncing;
      },
    });
  }

  /** True while this process holds the lease and delivers. */
  get delivering(): boolean {
    return this.keeper.held;
  }

  start(): void {
    this.keeper.start();
  }

  /**
   * Stops delivering and releases the lease, so another instance takes over at once. Requests
   * already sent finish first, still under the lease, so what a receiver took is not sent again.
   */
  async stop(): Promise<void> {
    if (this.keeper.held) await this.options.dispatcher.stop({ drain: true });
    await this.keeper.stop();
  }

  private sync(): void {
    this.syncing ??= this.options.dispatcher
      .sync()
      .catch((error: unknown) => this.options.logger.warn(`cannot read the webhooks (${error instanceof Error ? error.message : String(error)}); trying again`))
      .finally(() => (this.syncing = undefined));
  }
}
