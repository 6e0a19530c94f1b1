import { LeaseKeeper, LEASES, type LeaseStore } from '#leases';
import type { DigestConfig } from './digest-config.js';
import { localTime } from './digest-config.js';

/** Whether the day's run is due at `now`: DIGEST_TIME has passed today (local) and today has not been run by this keeper. */
export function digestDue(now: Date, config: Pick<DigestConfig, 'time' | 'timezone'>, lastRunDate: string | undefined): string | undefined {
  const { date, minuteOfDay } = localTime(now, config.timezone);
  return minuteOfDay >= config.time.hour * 60 + config.time.minute && date !== lastRunDate ? date : undefined;
}

export interface DigestScheduleOptions {
  config: Pick<DigestConfig, 'time' | 'timezone'>;
  leases: { store: LeaseStore; owner: string; ttlMs: number };
  run: (now: Date) => Promise<unknown>;
  /** How often the holder looks at the clock. Default 30 s. */
  checkEveryMs?: number;
  clock?: () => Date;
  logger: { log(message: string): void; warn(message: string): void };
}

/**
 * The daily job under the `daily-digest` lease: of all the processes sharing the stores, the holder
 * looks at the clock and runs the day's digests once DIGEST_TIME has passed (at once after a start
 * later in the day). Exactly-once does not rest on the lease: each digest is claimed in the digest
 * log, so a holder that lost its lease mid-run, or an operator's run, never sends one twice.
 */
export class DigestSchedule {
  private readonly keeper: LeaseKeeper;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastRunDate: string | undefined;

  constructor(private readonly options: DigestScheduleOptions) {
    const { leases, logger } = options;
    this.keeper = new LeaseKeeper({
      store: leases.store,
      name: LEASES.dailyDigest,
      owner: leases.owner,
      ttlMs: leases.ttlMs,
      logger,
      onAcquired: async () => {
        this.check();
        this.timer = setInterval(() => this.check(), options.checkEveryMs ?? 30_000);
        this.timer.unref();
      },
      onLost: async () => {
        clearInterval(this.timer);
        this.timer = undefined;
        await this.running;
      },
    });
  }

  start(): void {
    this.keeper.start();
  }

  async stop(): Promise<void> {
    await this.keeper.stop();
  }

  private check(): void {
    if (this.running) return;
    const now = (this.options.clock ?? (() => new Date()))();
    const date = digestDue(now, this.options.config, this.lastRunDate);
    if (!date) return;
    this.running = this.options
      .run(now)
      .then(() => void (this.lastRunDate = date))
      .catch((error: unknown) => this.options.logger.warn(`daily digests: ${error instanceof Error ? error.message : String(error)} (trying again)`))
      .finally(() => (this.running = undefined));
  }
}
