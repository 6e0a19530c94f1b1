import { existsSync } from 'node:fs';
import type { LedgerStore } from '#ledger';
import { MongoConnection } from '#mongo';
import { consoleLogger, type StoreLogger } from '../logger.js';
import { redactUrl, type StoreConfig } from '../store-config.js';
import { ledgerFile } from './ledger-paths.js';
import { MongoLedgerStore } from './mongo-ledger-store.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

/** DATA_DIR/ledger.sqlite; with MONGODB_URL, MongoDB (its own connection; the projector process keeps the tree there). */
export function openLedgerStore(config: Pick<StoreConfig, 'dataDir' | 'mongodbUrl'>, logger: StoreLogger = consoleLogger): LedgerStore {
  if (!config.mongodbUrl) return new SqliteLedgerStore(ledgerFile(config));
  const connection = new MongoConnection({ url: config.mongodbUrl, label: redactUrl(config.mongodbUrl), logger });
  connection.start();
  return new MongoLedgerStore(connection, { ownsConnection: true });
}

/** Where the command line finds the tree: undefined (with the reason) when the embedded file is missing. */
export function existingLedgerStore(config: Pick<StoreConfig, 'dataDir' | 'mongodbUrl'>, logger: StoreLogger = consoleLogger): LedgerStore | string {
  if (!config.mongodbUrl && !existsSync(ledgerFile(config))) return `no ledger at ${ledgerFile(config)}: start the server once on this DATA_DIR`;
  return openLedgerStore(config, logger);
}
