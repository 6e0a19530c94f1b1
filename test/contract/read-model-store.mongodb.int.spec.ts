import { describe, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { MongoReadModelStore } from '#read-models';
import { MongoConnection } from '#mongo';
import { redactUrl } from '#platform';
import { readModelStoreContract } from './read-model-store.contract.js';

const url = process.env.MONGODB_URL;

if (!url) {
  const reason = 'MONGODB_URL is not set (no MongoDB server on this machine)';
  console.warn(`MongoDB read-model store contract SKIPPED: ${reason}. Set MONGODB_URL=mongodb://… to run it.`);
  describe.skip(`ReadModelStore contract: mongodb — skipped: ${reason}`, () => {
    it('runs the contract against MongoReadModelStore', () => undefined);
  });
} else {
  const run = `lc_contract_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let n = 0;
  const connect = (databaseName: string) => new MongoConnection({ url, label: redactUrl(url), databaseName, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });

  // Both commit paths: a transaction per batch where the server has them (replica set), and the
  // position-guarded writes a standalone server gets (forced here, so a replica set tests them too).
  for (const transactions of ['auto', 'never'] as const) {
    readModelStoreContract(`mongodb (${redactUrl(url)}, transactions: ${transactions})`, async () => {
      // A fresh database per test, dropped afterwards.
      const databaseName = `${run}_${++n}`;
      return {
        store: new MongoReadModelStore({ connection: connect(databaseName), transactions }),
        reopen: async () => new MongoReadModelStore({ connection: connect(databaseName), transactions }),
        cleanup: async () => {
          const connection = connect(databaseName);
          try {
            await (await connection.db()).dropDatabase();
          } finally {
            await connection.close();
          }
        },
      };
    });
  }
}
