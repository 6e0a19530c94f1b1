import { join } from 'node:path';
import { SqliteReadModelStore, type ReadModelStore } from '#read-models';
import type { IdempotencyStore } from '../auth/idempotency.js';
import type { PrincipalStore } from '../auth/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { openAccessDatabase, SqliteIdempotencyStore, SqlitePrincipalStore } from './sqlite-access-store.js';

/** The stores beside the event log: read models, principals and idempotent answers. */
export interface ViewStores {
  readModels: ReadModelStore;
  principals: PrincipalStore;
  idempotency: IdempotencyStore;
  /** True on the embedded default: the API process runs the projections itself. */
  projectsInProcess: boolean;
  close(): Promise<void>;
}

/** The embedded SQLite stores in DATA_DIR unless MONGODB_URL is set. */
export function createViewStores(config: AppConfig): ViewStores {
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
