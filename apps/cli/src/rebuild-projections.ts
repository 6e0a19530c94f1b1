import { pathToFileURL } from 'node:url';
import { buildGeneration, PROJECTIONS, REBUILD_MAX_BATCH_SIZE } from '#read-models';
import { leaseOwner, LEASES, openLeaseStore, takeLease } from '#leases';
import { createEventStore, createReadModelStores, loadStoreConfig } from '#platform';
import { runAsProcess, type CliIo } from './cli-io.js';

/**
 * `npm run projections:rebuild`: projects the whole log from position 0 into a fresh read-model
 * generation of the configured stores and switches readers to it once caught up. A running API or
 * projector keeps serving the old views meanwhile and carries on from the new ones after the switch.
 */
export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.err('usage: npm run projections:rebuild   (the stores are the configured ones: DATA_DIR, EVENT_STORE_URL, MONGODB_URL)');
    return 2;
  }
  const config = loadStoreConfig(io.env);
  const quiet = { log: () => undefined, warn: (message: string) => io.err(message) };
  const eventStore = createEventStore(config, quiet);
  const stores = createReadModelStores(config, quiet);
  const leases = openLeaseStore({ dataDir: config.dataDir, mongo: stores.mongo });
  let lost = false;
  const held = await takeLease({ store: leases, name: LEASES.rebuild, owner: leaseOwner(), ttlMs: config.leaseTtlMs, onLost: () => (lost = true) }).catch(
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  try {
    if (held instanceof Error) {
      io.err(`the lease store cannot be reached, so whether a rebuild runs cannot be told; nothing was done (${held.message})`);
      return 1;
    }
    if (!held) {
      const holder = await leases.holder(LEASES.rebuild).catch(() => null);
      io.err(`a rebuild of the read models is already running${holder ? ` (in ${holder.owner})` : ''}; nothing was done. Try again once it has finished.`);
      return 1;
    }
    const started = Date.now();
    io.out('rebuilding every read model from position 0 ...');
    const { generation, position } = await buildGeneration({
      eventStore,
      store: stores.readModels,
      projections: PROJECTIONS,
      // No request waits on this process's event loop: big batches write each document less often.
      maxBatchSize: REBUILD_MAX_BATCH_SIZE,
      viewCacheSize: 0,
      logger: { log: () => undefined, error: (message) => io.err(message) },
      beforeSwitch: () => held.stillHeld(),
      isCancelled: () => lost,
    });
    io.out(`read models rebuilt into generation ${generation} up to position ${position} in ${Date.now() - started} ms; readers switched over`);
    return 0;
  } finally {
    if (held && !(held instanceof Error)) await held.release();
    await leases.close?.();
    await eventStore.close();
    await stores.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAsProcess(main);
