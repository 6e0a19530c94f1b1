import { Logger } from '@nestjs/common';
import { GenerationalProjector, PROJECTIONS, ReadModelGenerations, type Projection, type ProjectionStatus } from '#read-models';
import { LeaseKeeper, leaseOwner, LEASES, leaseTtlFromEnv, openLeaseStore } from '#leases';
import { createEventStore, createReadModelStores, type StoreConfig } from '#platform';
import { keepLedger } from './ledger-keeping.js';

export interface ProjectorProcessOptions {
  projections?: readonly Projection[];
  /** How long a lease lasts without renewal. Default LEASE_TTL_MS, else 15 s (renewed every third of it). */
  leaseTtlMs?: number;
  /** Identifies this process in the leases. Default host:pid:random. */
  owner?: string;
  /** How often the ledger keeper looks at the log while this process holds the `ledger` lease. Default 250 ms. */
  ledgerIntervalMs?: number;
}

export interface ProjectorProcess {
  owner: string;
  /** Each projection: whether this process holds its lease, and its projector's state. */
  status(): Array<{ name: string; leaseHeld: boolean; projection?: ProjectionStatus }>;
  /** Stops projecting, releases the leases, closes the stores. */
  stop(): Promise<void>;
}

/**
 * The projections as their own process. Each group of projections runs under a lease, and only while
 * this process holds it, as a projector following the event log from the checkpoints of the current
 * read-model generation (it follows a rebuild's switch). With MONGODB_URL each projection has its
 * own lease in MongoDB; on the embedded stores all of them share the `projector` lease in
 * DATA_DIR/leases.sqlite, the one the API's projector thread takes, so this process can run beside
 * the APIs on one DATA_DIR and only one of them projects.
 */
export async function startProjectorProcess(config: StoreConfig, options: ProjectorProcessOptions = {}): Promise<ProjectorProcess> {
  const logger = new Logger('Projector');
  const owner = options.owner ?? leaseOwner();
  const eventStore = createEventStore(config, new Logger('EventStore'));
  const viewStores = createReadModelStores(config, new Logger('MongoDB'));
  const leases = openLeaseStore({ dataDir: config.dataDir, mongo: viewStores.mongo });
  const projectorLogger = {
    log: (message: string) => logger.log(message),
    error: (message: string, err?: unknown) => logger.error(`${message}${err instanceof Error ? `: ${err.message}` : ''}`),
  };
  const projections = options.projections ?? PROJECTIONS;
  const groups = viewStores.mongo
    ? projections.map((projection) => ({ lease: LEASES.projection(projection.name), projections: [projection] }))
    : [{ lease: LEASES.projector, projections }];

  // Which read-model generation is current (a rebuild switches it); each projector follows switches.
  const generations = new ReadModelGenerations(viewStores.readModels);
  const running = groups.map((group) => {
    const slot: { projector?: GenerationalProjector } = {};
    const keeper = new LeaseKeeper({
      store: leases,
      name: group.lease,
      owner,
      ttlMs: options.leaseTtlMs ?? leaseTtlFromEnv(),
      logger,
      onAcquired: async () => {
        slot.projector = new GenerationalProjector({
          eventStore,
          store: viewStores.readModels,
          projections: group.projections,
          generations,
          logger: projectorLogger,
        });
        await slot.projector.start();
      },
      onLost: async () => {
        const projector = slot.projector;
        slot.projector = undefined;
        await projector?.stop();
      },
    });
    keeper.start();
    return { group, keeper, slot };
  });
  const stopLedger = await keepLedger(config, {
    eventStore,
    mongo: viewStores.mongo,
    leases,
    owner,
    leaseTtlMs: options.leaseTtlMs ?? leaseTtlFromEnv(),
    logger,
    ...(options.ledgerIntervalMs !== undefined && { intervalMs: options.ledgerIntervalMs }),
  });
  logger.log(`projector ${owner} started: ${projections.map((p) => p.name).join(', ')}`);

  let stopping: Promise<void> | undefined;
  return {
    owner,
    status: () =>
      running.flatMap(({ group, keeper, slot }) =>
        group.projections.map((projection) => {
          const state = slot.projector?.status().projections.find((p) => p.name === projection.name);
          return { name: projection.name, leaseHeld: keeper.held, ...(state && { projection: state }) };
        }),
      ),
    stop() {
      stopping ??= (async () => {
        await Promise.all([...running.map(({ keeper }) => keeper.stop()), stopLedger?.()]);
        await leases.close?.();
        await eventStore.close();
        await viewStores.close();
        logger.log(`projector ${owner} stopped`);
      })();
      return stopping;
    },
  };
}
