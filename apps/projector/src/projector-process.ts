import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GenerationalProjector, PROJECTIONS, ReadModelGenerations, type Projection, type ProjectionStatus } from '#read-models';
import type { AppConfig } from '../../api/src/config/app-config.js';
import { createEventStore } from '../../api/src/infrastructure/event-store.factory.js';
import { createViewStores } from '../../api/src/infrastructure/view-stores.factory.js';
import { keepLedger } from './ledger-keeping.js';
import { InMemoryLeaseStore } from './leases/in-memory-lease-store.js';
import { LeaseKeeper } from './leases/lease-keeper.js';
import type { LeaseStore } from './leases/lease-store.port.js';
import { MongoLeaseStore } from './leases/mongo-lease-store.js';

export interface ProjectorProcessOptions {
  projections?: readonly Projection[];
  /** How long a lease lasts without renewal. Default 15 s (renewed every third of it). */
  leaseTtlMs?: number;
  /** Identifies this process in the leases. Default host:pid:random. */
  owner?: string;
}

export interface ProjectorProcess {
  owner: string;
  /** Each projection: whether this process holds its lease, and its projector's state. */
  status(): Array<{ name: string; leaseHeld: boolean; projection?: ProjectionStatus }>;
  /** Stops projecting, releases the leases, closes the stores. */
  stop(): Promise<void>;
}

/**
 * The projections as their own process: for each projection, a lease (in MongoDB when MONGODB_URL is
 * set) and, only while this process holds it, a projector following the event log from the
 * projection's checkpoint in the current read-model generation (it follows a rebuild's switch). On the embedded stores the leases are in-process: one projector process
 * per DATA_DIR (the API runs the projections itself there, see the README).
 */
export async function startProjectorProcess(config: AppConfig, options: ProjectorProcessOptions = {}): Promise<ProjectorProcess> {
  const logger = new Logger('Projector');
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const eventStore = createEventStore(config);
  const viewStores = createViewStores(config);
  const leases: LeaseStore = viewStores.mongo ? new MongoLeaseStore(viewStores.mongo) : new InMemoryLeaseStore();
  const projectorLogger = {
    log: (message: string) => logger.log(message),
    error: (message: string, err?: unknown) => logger.error(`${message}${err instanceof Error ? `: ${err.message}` : ''}`),
  };

  // Which read-model generation is current (a rebuild switches it); each projector follows switches.
  const generations = new ReadModelGenerations(viewStores.readModels);
  const running = (options.projections ?? PROJECTIONS).map((projection) => {
    const slot: { projector?: GenerationalProjector } = {};
    const keeper = new LeaseKeeper({
      store: leases,
      name: `projection:${projection.name}`,
      owner,
      ttlMs: options.leaseTtlMs ?? 15_000,
      logger,
      onAcquired: async () => {
        slot.projector = new GenerationalProjector({ eventStore, store: viewStores.readModels, projections: [projection], generations, logger: projectorLogger });
        await slot.projector.start();
      },
      onLost: async () => {
        const projector = slot.projector;
        slot.projector = undefined;
        await projector?.stop();
      },
    });
    keeper.start();
    return { projection, keeper, slot };
  });
  const stopLedger = await keepLedger(config, eventStore, viewStores.mongo, leases, owner, logger);
  logger.log(`projector ${owner} started: ${running.map((r) => r.projection.name).join(', ')}`);

  let stopping: Promise<void> | undefined;
  return {
    owner,
    status: () =>
      running.map(({ projection, keeper, slot }) => ({
        name: projection.name,
        leaseHeld: keeper.held,
        ...(slot.projector && { projection: slot.projector.status().projections[0] }),
      })),
    stop() {
      stopping ??= (async () => {
        await Promise.all([...running.map(({ keeper }) => keeper.stop()), stopLedger?.()]);
        await eventStore.close();
        await viewStores.close();
        logger.log(`projector ${owner} stopped`);
      })();
      return stopping;
    },
  };
}
