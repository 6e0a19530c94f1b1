import { Global, Logger, Module } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { LedgerStore } from '#ledger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerLifecycle } from './ledger.lifecycle.js';
import { LedgerService } from './ledger.service.js';
import { EVENT_MAC_KEY, LEDGER_KEY, LEDGER_STORE } from './ledger-tokens.js';
import { AppendedLeaves, type LedgerKey, loadOrCreateLedgerKey, openLedgerStore } from '#platform';

const logger = new Logger('Ledger');

const createLedgerStore = (config: AppConfig): LedgerStore | null => (config.ledger.enabled ? openLedgerStore(config) : null);

/** The transparency log: the key, the event MACs the command path adds, the tree, its keeper and its routes. */
@Global()
@Module({
  controllers: [LedgerController],
  providers: [
    {
      provide: LEDGER_KEY,
      useFactory: (config: AppConfig, events: EventStore): Promise<LedgerKey> | null =>
        config.ledger.enabled
          ? loadOrCreateLedgerKey(
              config.ledger.keyFile,
              config.dataDir,
              () => events.headPosition(),
              (line) => logger.log(line),
            )
          : null,
      inject: [APP_CONFIG, EVENT_STORE],
    },
    { provide: EVENT_MAC_KEY, useFactory: (key: LedgerKey | null) => key?.macKey ?? null, inject: [LEDGER_KEY] },
    { provide: LEDGER_STORE, useFactory: createLedgerStore, inject: [APP_CONFIG] },
    { provide: AppendedLeaves, useValue: new AppendedLeaves() },
    LedgerService,
    LedgerLifecycle,
  ],
  exports: [LEDGER_KEY, EVENT_MAC_KEY, LEDGER_STORE, AppendedLeaves, LedgerService],
})
export class LedgerModule {}
