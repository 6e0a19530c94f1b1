import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { SqliteEventStore, type EventStore } from '#event-store';
import { CheckpointWatcher, GenerationalProjector, GenerationalReadModelStore, PROJECTIONS } from '#read-models';
import { leaseOwner, LEASES_FILE, openLeaseStore } from '#leases';
import { join } from 'node:path';
import { IDEMPOTENCY_STORE } from '../auth/idempotency.js';
import { PRINCIPAL_STORE } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { createEventStore, embeddedEventsFile } from '#platform';
import { CHECKPOINTS, CLOCK, EVENT_STORE, READ_MODEL_STORE, systemClock, TEMPLATES } from './injection-tokens.js';
import { LeasedProjections } from './projector-thread/leased-projections.js';
import { rebuildUnderLease, type LeaseContext } from './projector-thread/leased-rebuild.js';
import { ProjectorThread } from './projector-thread/projector-thread.js';
import { LEASE_CONTEXT, PROJECTOR, VIEW_STORES, type RunningProjections } from './store-tokens.js';
import { StoresLifecycle } from './stores.lifecycle.js';
import { createViewStores, projectsOnThread, type ViewStores } from './view-stores.factory.js';

export { PROJECTIONS };

const logger = new Logger('Projector');
const projectorLogger = {
  log: (message: string) => logger.log(message),
  error: (message: string, error?: unknown) => logger.error(`${message}${error instanceof Error ? `: ${error.message}` : ''}`),
};

/** Wires the stores the configuration names; the projections run in this process only on the embedded view stores. */
@Global()
@Module({})
export class StoresModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoresModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        { provide: TEMPLATES, useValue: config.templates },
        { provide: EVENT_STORE, useFactory: () => createEventStore(config) },
        { provide: VIEW_STORES, useFactory: () => createViewStores(config, undefined, { readModelsWritten: projectsOnThread(config) ? 'elsewhere' : 'here' }) },
        // Readers see the current read-model generation (see admin/: rebuilds switch generations).
        {
          provide: READ_MODEL_STORE,
          useFactory: (stores: ViewStores) => new GenerationalReadModelStore(stores.readModels, PROJECTIONS),
          inject: [VIEW_STORES],
        },
        { provide: PRINCIPAL_STORE, useFactory: (stores: ViewStores) => stores.principals, inject: [VIEW_STORES] },
        { provide: IDEMPOTENCY_STORE, useFactory: (stores: ViewStores) => stores.idempotency, inject: [VIEW_STORES] },
        {
          provide: LEASE_CONTEXT,
          useFactory: (stores: ViewStores): LeaseContext => ({
            store: openLeaseStore({ dataDir: config.dataDir, mongo: stores.mongo }),
            owner: leaseOwner(),
            ttlMs: config.leaseTtlMs,
          }),
          inject: [VIEW_STORES],
        },
        {
          provide: PROJECTOR,
          useFactory: (eventStore: EventStore, stores: ViewStores, views: GenerationalReadModelStore, leases: LeaseContext) =>
            runProjections(config, eventStore, stores, views, leases),
          inject: [EVENT_STORE, VIEW_STORES, READ_MODEL_STORE, LEASE_CONTEXT],
        },
        {
          provide: CHECKPOINTS,
          useFactory: (projector: RunningProjections | null, views: GenerationalReadModelStore) =>
            projector ??
            CheckpointWatcher.polling(
              views,
              PROJECTIONS.map((p) => p.name),
              50,
            ),
          inject: [PROJECTOR, READ_MODEL_STORE],
        },
        StoresLifecycle,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        TEMPLATES,
        EVENT_STORE,
        READ_MODEL_STORE,
        PRINCIPAL_STORE,
        IDEMPOTENCY_STORE,
        PROJECTOR,
        CHECKPOINTS,
        LEASE_CONTEXT,
        StoresLifecycle,
      ],
    };
  }
}

/**
 * Where the projections run: another process (null: MongoDB read models), or here under the
 * `projector` lease, on their own thread (embedded default) or this event loop.
 */
function runProjections(
  config: AppConfig,
  eventStore: EventStore,
  stores: ViewStores,
  views: GenerationalReadModelStore,
  leases: LeaseContext,
): RunningProjections | null {
  if (!stores.projectsInProcess) return null;
  let create: () => RunningProjections;
  if (projectsOnThread(config) && eventStore instanceof SqliteEventStore && stores.readModelsFile) {
    const viewsFile = stores.readModelsFile;
    let thread: ProjectorThread | undefined;
    eventStore.onCommitted(() => thread?.committed());
    create = () =>
      (thread = new ProjectorThread({
        eventsFile: embeddedEventsFile(config),
        viewsFile,
        leasesFile: join(config.dataDir, LEASES_FILE),
        leaseOwner: leases.owner,
        leaseTtlMs: leases.ttlMs,
        generations: views.generations,
        logger: projectorLogger,
      }));
  } else {
    create = () => {
      const projector = new GenerationalProjector({
        eventStore,
        store: stores.readModels,
        projections: PROJECTIONS,
        generations: views.generations,
        logger: projectorLogger,
      });
      return {
        start: () => projector.start(),
        stop: () => projector.stop(),
        status: () => projector.status(),
        rebuildStatus: () => projector.rebuildStatus(),
        checkpoint: () => projector.checkpoint(),
        waitForPosition: (position, timeoutMs) => projector.waitForPosition(position, timeoutMs),
        rebuild: () => rebuildUnderLease(projector, leases),
      };
    };
  }
  return new LeasedProjections({ leases, create, views, projections: PROJECTIONS.map((p) => p.name), logger: projectorLogger });
}
