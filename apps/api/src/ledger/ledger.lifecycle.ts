import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { LedgerStore } from '#ledger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { LEDGER_KEY, LEDGER_STORE } from './ledger-tokens.js';
import { LedgerKeeper, type LedgerKey } from '#platform';

/** Runs the tree's keeper in this process (embedded stores; with MONGODB_URL the projector process keeps it), and stops it before the stores close. */
@Injectable()
export class LedgerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Ledger');
  readonly keeper: LedgerKeeper | undefined;

  constructor(
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(LEDGER_STORE) private readonly ledger: LedgerStore | null,
    @Inject(LEDGER_KEY) key: LedgerKey | null,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (ledger && key && !config.mongodbUrl) {
      this.keeper = new LedgerKeeper(events, ledger, key, { log: { log: (line) => this.logger.log(line), error: (line) => this.logger.error(line) } });
    }
  }

  onApplicationBootstrap(): void {
    this.keeper?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.keeper?.stop();
    await this.ledger?.close();
  }
}
