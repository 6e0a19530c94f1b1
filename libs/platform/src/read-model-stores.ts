import { join } from 'node:path';
import { MongoReadModelStore, SqliteReadModelStore, type ReadModelStore } from '#read-models';
import { MongoConnection, type MongoConnectionLogger } from '#mongo';
import { redactUrl, type StoreConfig } from './store-config.js';

/** The read models the configuration names, and what the caller may share with them. */
export interface ReadModelStores {
  readModels: ReadModelStore;
  /** True on the embedded default: the API process runs the projections itself. */
  projectsInProcess: boolean;
  /** The read models' file, on the embedded default. */
  readModelsFile?: string;
  /** The MongoDB connection, when MONGODB_URL is set (principals, webhooks and leases share it). */
  mongo?: MongoConnection;
  close(): Promise<void>;
}

/**
 * The embedded SQLite read models in DATA_DIR unless MONGODB_URL is set; then MongoDB, connected in
 * the background with retries (an unreachable server does not stop the start: the stores answer
 * *UnavailableError, i.e. 503, until it answers), and the projections run in the projector process.
 */
export function createReadModelStores(
  config: Pick<StoreConfig, 'dataDir' | 'mongodbUrl'>,
  logger: MongoConnectionLogger,
  options: { readModelsWritten?: 'here' | 'elsewhere' } = {},
): ReadModelStores {
  if (config.mongodbUrl) {
    const label = redactUrl(config.mongodbUrl);
    const connection = new MongoConnection({ url: config.mongodbUrl, label, logger });
    logger.log(`read models, principals and idempotent answers in MongoDB at ${label} (database ${connection.databaseName})`);
    connection.start();
    return {
      readModels: new MongoReadModelStore({ connection, ownsConnection: false }),
      projectsInProcess: false,
      mongo: connection,
      close: () => connection.close(),
    };
  }
  const readModelsFile = join(config.dataDir, 'read-models.sqlite');
  // Written elsewhere (the projector thread): that connection checkpoints the WAL.
  const readModels = new SqliteReadModelStore({ filename: readModelsFile, walCheckpoints: options.readModelsWritten !== 'elsewhere' });
  return { readModels, projectsInProcess: true, readModelsFile, close: () => readModels.close() };
}
