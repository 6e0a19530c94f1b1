import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SqliteEventStore, type EventStore } from '#event-store';
import type { LedgerStore } from '#ledger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { LEDGER_KEY, LEDGER_STORE } from './ledger-tokens.js';
import {
  AppendedLeaves,
  embeddedEventsFile,
  LeasedLedgerKeeping,
  LedgerKeeper,
  LedgerKeeperThread,
  ledgerFile,
  type LedgerKey,
  type LedgerKeeping,
} from '#platform';

/**
 * Competes for the `ledger` lease and, while this process holds it, keeps the tree: on its own
 * thread over the embedded log (so the request loop only MACs what it appends, and hands the thread
 * those events' leaves), on this loop over
 * KurrentDB. With MONGODB_URL the projector process keeps it and the API only reads it. Stops the
 * keeper and releases the lease before the stores close.
 */
@Injectable()
export class LedgerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  readonly keeping: LeasedLedgerKeeping | undefined;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(LEDGER_STORE) private readonly ledger: LedgerStore | null,
    @Inject(LEDGER_KEY) key: LedgerKey | null,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEASE_CONTEXT) leases: LeaseContext,
    appended: AppendedLeaves,
  ) {
    if (!ledger || !key || config.mongodbUrl) return;
    const log = { log: (line: string) => this.logger.log(line), error: (line: string) => this.logger.error(line) };
    const create = (): LedgerKeeping =>
      events instanceof SqliteEventStore
        ? new LedgerKeeperThread({ eventsFile: embeddedEventsFile(config), ledgerFile: ledgerFile(config), keyFile: config.ledger.keyFile, log, appended })
        : new LedgerKeeper(events, ledger, key, { log });
    this.keeping = new LeasedLedgerKeeping({ leases, create, logger: { log: log.log, warn: (line) => this.logger.warn(line) } });
  }

  onApplicationBootstrap(): void {
    this.keeping?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.keeping?.stop();
    await this.ledger?.close();
  }
}
