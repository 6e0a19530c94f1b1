import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { MongoConnection, MongoReadModelStore, SqliteReadModelStore, type MongoConnectionLogger, type ReadModelStore } from '#read-models';
import type { IdempotencyStore } from '../auth/idempotency.js';
import type { PrincipalStore } from '../auth/principal.js';
import { redactUrl, type AppConfig } from '../config/app-config.js';
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
  if (config.mongodbUrl) return createMongoViewStores(config.mongodbUrl, logger);
  const readModelsFile = join(config.dataDir, 'read-models.sqlite');
  // Written elsewhere (the projector thread): that connection checkpoints the WAL.
  const readModels = new SqliteReadModelStore({ filename: readModelsFile, walCheckpoints: options.readModelsWritten !== 'elsewhere' });
  const access = openAccessDatabase(join(config.dataDir, 'access.sqlite'));
  return {
    readModels,
    principals: new SqlitePrincipalStore(access),
    idempotency: new SqliteIdempotencyStore(access),
    projectsInProcess: true,
    readModelsFile,
    async close() {
      await readModels.close();
      access.close();
    },
  };
}

/** The projections run on a thread of their own: both stores embedded, and PROJECTOR_THREAD not off. */
export function projectsOnThread(config: AppConfig): boolean {
  return config.projectorThread && !config.mongodbUrl && !config.eventStoreUrl;
}

function createMongoViewStores(url: string, logger: MongoConnectionLogger): ViewStores {
  const label = redactUrl(url);
  const connection = new MongoConnection({ url, label, logger });
  logger.log(`read models, principals and idempotent answers in MongoDB at ${label} (database ${connection.databaseName})`);
  connection.start();
  return {
    readModels: new MongoReadModelStore({ connection, ownsConnection: false }),
    principals: new MongoPrincipalStore(connection),
    idempotency: new MongoIdempotencyStore(connection),
    projectsInProcess: false,
    mongo: connection,
    close: () => connection.close(),
  };
}
