import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import type { ReadModelStore } from '#read-models';
import type { MongoConnection, MongoConnectionLogger } from '#mongo';
import { createReadModelStores } from '#platform';
import type { IdempotencyStore } from '../auth/idempotency.js';
import type { PrincipalStore } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { MongoIdempotencyStore, MongoPrincipalStore } from './mongo-access-stores.js';
import { openAccessDatabase, SqliteIdempotencyStore, SqlitePrincipalStore } from './sqlite-access-store.js';

/** The stores beside the event log: read models, principals and idempotent answers. */
export interface ViewStores {
  readModels: ReadModelStore;
  principals: PrincipalStore;
  idempotency: IdempotencyStore;
  /** True on the embedded default: the API process runs the projections itself. */
  projectsInProcess: boolean;
  /** The read models' file, on the embedded default. */
  readModelsFile?: string;
  /** The MongoDB connection the stores share, when MONGODB_URL is set (the projector keeps its leases there). */
  mongo?: MongoConnection;
  close(): Promise<void>;
}

/**
 * The embedded SQLite stores in DATA_DIR unless MONGODB_URL is set; then MongoDB, connected in the
 * background with retries (an unreachable server does not stop the start: the stores answer
 * *UnavailableError, i.e. 503, until it answers), and the projections run in the projector process.
 */
export function createViewStores(
  config: AppConfig,
  logger: MongoConnectionLogger = new Logger('MongoDB'),
  options: { readModelsWritten?: 'here' | 'elsewhere' } = {},
): ViewStores {
  const stores = createReadModelStores(config, logger, options);
  if (stores.mongo) return { ...stores, principals: new MongoPrincipalStore(stores.mongo), idempotency: new MongoIdempotencyStore(stores.mongo) };
  const access = openAccessDatabase(join(config.dataDir, 'access.sqlite'));
  return {
    ...stores,
    principals: new SqlitePrincipalStore(access),
    idempotency: new SqliteIdempotencyStore(access),
    async close() {
      await stores.close();
      access.close();
    },
  };
}

/** The projections run on a thread of their own: both stores embedded, and PROJECTOR_THREAD not off. */
export function projectsOnThread(config: AppConfig): boolean {
  return config.projectorThread && !config.mongodbUrl && !config.eventStoreUrl;
}
