import type { LeaseStore } from './lease-store.port.js';

export interface LeaseKeeperLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface LeaseKeeperOptions {
  store: LeaseStore;
  name: string;
  owner: string;
  /** How long a taken or renewed lease lasts. */
  ttlMs: number;
  /** How often to take or renew it. Default a third of the ttl. */
  renewEveryMs?: number;
  /** Milliseconds now (tests pass a fake clock). */
  clock?: () => number;
  /** The lease was taken: start the work. */
  onAcquired: () => Promise<void>;
  /** The lease is lost or given up: stop the work (and wait for it to stop). */
  onLost: (reason: string) => Promise<void>;
  logger?: LeaseKeeperLogger;
}

/**
 * Holds a lease while it can, and runs the work only while it holds it: `tick()` takes or renews
 * the lease (every `renewEveryMs` once started). When another owner holds it, the work stops. When
 * the store cannot be reached, the work goes on only until one renewal period before the lease
 * would run out, so it has stopped by the time another process may take the lease over.
 */
export class LeaseKeeper {
  private heldUntil = 0;
  private holding = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  private readonly clock: () => number;
  private readonly renewEveryMs: number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.clock = options.clock ?? Date.now;
    this.renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(options.ttlMs / 3));
    if (this.renewEveryMs >= options.ttlMs) throw new RangeError('the lease must be renewed more often than it expires');
  }

  get held(): boolean {
    return this.holding;
  }

  /** The store's error when the last attempt got no answer from it (then `held` cannot say who holds the lease). */
  get storeError(): { error: unknown } | undefined {
    return this.failure;
  }

  /** Tries at once, then on every renewal period until stopped. */
  start(): void {
    if (this.timer || this.stopped) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.renewEveryMs);
  }

  /** One attempt to take or renew the lease (a tick already running is awaited instead). */
  tick(): Promise<void> {
    this.ticking ??= this.attempt().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  /** Stops the work, then releases the lease so another process can take it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    if (!this.holding) return;
    await this.lose('stopping');
    try {
      await this.options.store.release(this.options.name, this.options.owner);
    } catch (err) {
      this.options.logger?.warn(`lease ${this.options.name}: could not release it (${messageOf(err)}); it expires on its own`);
    }
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const { store, name, owner, ttlMs, logger } = this.options;
    const sentAt = this.clock();
    let acquired: boolean;
    try {
      acquired = await store.acquire(name, owner, ttlMs);
      this.failure = undefined;
    } catch (err) {
      this.failure = { error: err };
      logger?.warn(`lease ${name}: cannot be taken or renewed (${messageOf(err)})`);
      if (this.holding && this.clock() >= this.heldUntil - this.renewEveryMs) {
        await this.lose(`it could not be renewed before running out: ${messageOf(err)}`);
      }
      return;
    }
    if (this.stopped) return;
    if (acquired) {
      this.heldUntil = sentAt + ttlMs;
      if (!this.holding) {
        this.holding = true;
        logger?.log(`lease ${name}: taken by ${owner}`);
        try {
          await this.options.onAcquired();
        } catch (err) {
          logger?.warn(`lease ${name}: the work failed to start (${messageOf(err)})`);
        }
      }
    } else if (this.holding) {
      await this.lose('another process holds it');
    }
  }

  private async lose(reason: string): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    this.options.logger?.log(`lease ${this.options.name}: given up by ${this.options.owner} (${reason})`);
    await this.options.onLost(reason);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
