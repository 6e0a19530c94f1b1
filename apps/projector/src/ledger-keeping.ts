import type { Logger } from '@nestjs/common';
import type { EventStore } from '#event-store';
import type { MongoConnection } from '#mongo';
import type { StoreConfig } from '#platform';
import { LedgerKeeper, loadOrCreateLedgerKey, MongoLedgerStore } from '#platform';
import { LeaseKeeper, type LeaseStore } from '#leases';

/**
 * In production (MongoDB) the ledger's tree is kept here, not in the API: under the `ledger` lease,
 * one projector process at a time extends the tree in MongoDB and signs its heads with the key in
 * LEDGER_KEY_FILE (the API's, shared with it). Returns how to stop; undefined when there is nothing to keep.
 */
export async function keepLedger(
  config: StoreConfig,
  eventStore: EventStore,
  mongo: MongoConnection | undefined,
  leases: LeaseStore,
  owner: string,
  logger: Logger,
): Promise<(() => Promise<void>) | undefined> {
  if (!config.ledger.enabled || !mongo) return undefined;
  const key = await loadOrCreateLedgerKey(
    config.ledger.keyFile,
    config.dataDir,
    () => eventStore.headPosition(),
    (line) => logger.log(line),
  );
  const store = new MongoLedgerStore(mongo);
  const keeper = new LedgerKeeper(eventStore, store, key, { log: { log: (line) => logger.log(line), error: (line) => logger.error(line) } });
  const lease = new LeaseKeeper({
    store: leases,
    name: 'ledger',
    owner,
    ttlMs: 15_000,
    logger,
    onAcquired: async () => keeper.start(),
    onLost: () => keeper.stop(),
  });
  lease.start();
  return () => lease.stop();
}
