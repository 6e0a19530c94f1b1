import { Global, Logger, Module } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { LedgerStore } from '#ledger';
import { MongoConnection } from '#read-models';
import { APP_CONFIG, redactUrl, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { LedgerController } from './ledger.controller.js';
import { LedgerLifecycle } from './ledger.lifecycle.js';
import { LedgerService } from './ledger.service.js';
import { ledgerFile } from './ledger-paths.js';
import { loadOrCreateLedgerKey, type LedgerKey } from './ledger-key-file.js';
import { EVENT_MAC_KEY, LEDGER_KEY, LEDGER_STORE } from './ledger-tokens.js';
import { MongoLedgerStore } from './mongo-ledger-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

const logger = new Logger('Ledger');

/** DATA_DIR/ledger.sqlite; with MONGODB_URL, MongoDB (its own connection; the projector process keeps the tree there). */
function createLedgerStore(config: AppConfig): LedgerStore | null {
  if (!config.ledger.enabled) return null;
  if (!config.mongodbUrl) return new SqliteLedgerStore(ledgerFile(config));
  const connection = new MongoConnection({ url: config.mongodbUrl, label: redactUrl(config.mongodbUrl), logger: new Logger('MongoDB ledger') });
  connection.start();
  return new MongoLedgerStore(connection, { ownsConnection: true });
}

/** The transparency log: the key, the event MACs the command path adds, the tree, its keeper and its routes. */
@Global()
@Module({
  controllers: [LedgerController],
  providers: [
    {
      provide: LEDGER_KEY,
      useFactory: (config: AppConfig, events: EventStore): Promise<LedgerKey> | null =>
        config.ledger.enabled ? loadOrCreateLedgerKey(config.ledger.keyFile, config.dataDir, () => events.headPosition(), (line) => logger.log(line)) : null,
      inject: [APP_CONFIG, EVENT_STORE],
    },
    { provide: EVENT_MAC_KEY, useFactory: (key: LedgerKey | null) => key?.macKey ?? null, inject: [LEDGER_KEY] },
    { provide: LEDGER_STORE, useFactory: createLedgerStore, inject: [APP_CONFIG] },
    LedgerService,
    LedgerLifecycle,
  ],
  exports: [LEDGER_KEY, EVENT_MAC_KEY, LEDGER_STORE, LedgerService],
})
export class LedgerModule {}
