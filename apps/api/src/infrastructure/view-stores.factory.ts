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
  /** The MongoDB connection the stores share, when MONGODB_URL is set (the projector keeps its leases there). */
  mongo?: MongoConnection;
  close(): Promise<void>;
}

/**
 * The embedded SQLite stores in DATA_DIR unless MONGODB_URL is set; then MongoDB, connected in the
 * background with retries (an unreachable server does not stop the start: the stores answer
 * *UnavailableError, i.e. 503, until it answers), and the projections run in the projector process.
 */
export function createViewStores(config: AppConfig, logger: MongoConnectionLogger = new Logger('MongoDB')): ViewStores {
  if (config.mongodbUrl) return createMongoViewStores(config.mongodbUrl, logger);
  const readModels = new SqliteReadModelStore({ filename: join(config.dataDir, 'read-models.sqlite') });
  const access = openAccessDatabase(join(config.dataDir, 'access.sqlite'));
  return {
    readModels,
    principals: new SqlitePrincipalStore(access),
    idempotency: new SqliteIdempotencyStore(access),
    projectsInProcess: true,
    async close() {
      await readModels.close();
      access.close();
    },
  };
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
