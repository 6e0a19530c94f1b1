import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { BUILT_IN_TEMPLATES } from '#launch';
import { launchViewsProjection, Projector, SqliteReadModelStore } from '#read-models';
import { IDEMPOTENCY_STORE } from '../auth/idempotency.js';
import { PRINCIPAL_STORE } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CHECKPOINTS, CLOCK, EVENT_STORE, READ_MODEL_STORE, systemClock, TEMPLATES } from './injection-tokens.js';
import { openAccessDatabase, SqliteIdempotencyStore, SqlitePrincipalStore } from './sqlite-access-store.js';
import { StoresLifecycle } from './stores.lifecycle.js';
import { ACCESS_DATABASE, PROJECTOR } from './store-tokens.js';


export const PROJECTIONS = [launchViewsProjection];

/** Wires the stores: the embedded SQLite ones in DATA_DIR (events, read models, principals). */
@Global()
@Module({})
export class StoresModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StoresModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
        { provide: TEMPLATES, useValue: BUILT_IN_TEMPLATES },
        { provide: EVENT_STORE, useFactory: () => new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite') }) },
        { provide: READ_MODEL_STORE, useFactory: () => new SqliteReadModelStore({ filename: join(config.dataDir, 'read-models.sqlite') }) },
        { provide: ACCESS_DATABASE, useFactory: () => openAccessDatabase(join(config.dataDir, 'access.sqlite')) },
        { provide: PRINCIPAL_STORE, useFactory: (db) => new SqlitePrincipalStore(db), inject: [ACCESS_DATABASE] },
        { provide: IDEMPOTENCY_STORE, useFactory: (db) => new SqliteIdempotencyStore(db), inject: [ACCESS_DATABASE] },
        {
          provide: PROJECTOR,
          useFactory: (eventStore, store) => new Projector({ eventStore, store, projections: PROJECTIONS, logger: projectorLogger }),
          inject: [EVENT_STORE, READ_MODEL_STORE],
        },
        { provide: CHECKPOINTS, useFactory: (projector: Projector) => projector, inject: [PROJECTOR] },
        StoresLifecycle,
      ],
      exports: [APP_CONFIG, CLOCK, TEMPLATES, EVENT_STORE, READ_MODEL_STORE, PRINCIPAL_STORE, IDEMPOTENCY_STORE, PROJECTOR, CHECKPOINTS, StoresLifecycle],
    };
  }
}

const logger = new Logger('Projector');
const projectorLogger = {
  log: (message: string) => logger.log(message),
  error: (message: string, error?: unknown) => logger.error(`${message}${error instanceof Error ? `: ${error.message}` : ''}`),
};
