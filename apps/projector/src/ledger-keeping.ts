import type { Logger } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { LedgerStore } from '#ledger';
import type { MongoConnection } from '#mongo';
import type { LeaseStore } from '#leases';
import { LeasedLedgerKeeping, LedgerKeeper, ledgerFile, loadOrCreateLedgerKey, MongoLedgerStore, SqliteLedgerStore, type StoreConfig } from '#platform';

export interface LedgerKeepingDeps {
  eventStore: EventStore;
  /** The read models' MongoDB connection: the tree is kept there (else in DATA_DIR/ledger.sqlite). */
  mongo: MongoConnection | undefined;
  leases: LeaseStore;
  owner: string;
  leaseTtlMs: number;
  logger: Logger;
  /** How often the keeper looks at the log (tests make it short). */
  intervalMs?: number;
}

/**
 * The projector process competes for the `ledger` lease with every other process on the same stores
 * (the APIs on one DATA_DIR; other projector processes on MongoDB, where the APIs keep no tree) and,
 * while it holds it, extends the tree and signs its heads with the key in LEDGER_KEY_FILE (the
 * API's: mount the same file into both). Returns how to stop; undefined with LEDGER=off.
 */
export async function keepLedger(config: StoreConfig, deps: LedgerKeepingDeps): Promise<(() => Promise<void>) | undefined> {
  if (!config.ledger.enabled) return undefined;
  const { eventStore, mongo, logger } = deps;
  const key = await loadOrCreateLedgerKey(
    config.ledger.keyFile,
    config.dataDir,
    () => eventStore.headPosition(),
    (line) => logger.log(line),
  );
  const store: LedgerStore = mongo ? new MongoLedgerStore(mongo) : new SqliteLedgerStore(ledgerFile(config));
  const log = { log: (line: string) => logger.log(line), error: (line: string) => logger.error(line) };
  const keeping = new LeasedLedgerKeeping({
    leases: { store: deps.leases, owner: deps.owner, ttlMs: deps.leaseTtlMs },
    create: () => new LedgerKeeper(eventStore, store, key, { log, ...(deps.intervalMs !== undefined && { intervalMs: deps.intervalMs }) }),
    logger: { log: log.log, warn: (line) => logger.warn(line) },
  });
  keeping.start();
  return async () => {
    await keeping.stop();
    await store.close();
  };
}
