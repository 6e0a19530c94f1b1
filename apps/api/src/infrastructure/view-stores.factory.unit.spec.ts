import { describe, expect, it } from '@jest/globals';
import { MongoReadModelStore, SqliteReadModelStore } from '#read-models';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { MongoIdempotencyStore, MongoPrincipalStore } from './mongo-access-stores.js';
import { createViewStores } from './view-stores.factory.js';

describe('createViewStores', () => {
  it('chooses MongoDB when MONGODB_URL is set: no in-process projections, one log line naming the URL without credentials', async () => {
    const lines: string[] = [];
    const stores = createViewStores(loadConfig({ MONGODB_URL: 'mongodb://app:hunter2@127.0.0.1:1/lc?serverSelectionTimeoutMS=100' }), {
      log: (m) => lines.push(m),
      warn: (m) => lines.push(m),
    });
    try {
      expect(stores.readModels).toBeInstanceOf(MongoReadModelStore);
      expect(stores.principals).toBeInstanceOf(MongoPrincipalStore);
      expect(stores.idempotency).toBeInstanceOf(MongoIdempotencyStore);
      expect(stores.projectsInProcess).toBe(false);
      expect(lines[0]).toBe('read models, principals and idempotent answers in MongoDB at mongodb://127.0.0.1:1/lc?serverSelectionTimeoutMS=100 (database lc)');
      await expect(stores.principals.count()).rejects.toMatchObject({ name: 'AccessStoreUnavailableError' });
      expect(lines.join('\n')).not.toContain('hunter2');
    } finally {
      await stores.close();
    }
  });

  it('keeps the embedded SQLite stores, projecting in-process, when MONGODB_URL is not set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'view-stores-'));
    const stores = createViewStores(loadConfig({ DATA_DIR: dataDir }));
    try {
      expect(stores.readModels).toBeInstanceOf(SqliteReadModelStore);
      expect(stores.projectsInProcess).toBe(true);
      expect(stores.mongo).toBeUndefined();
    } finally {
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
