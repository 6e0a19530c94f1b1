import { describe, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { MongoConnection } from '#mongo';
import { redactUrl } from '#platform';
import { ledgerStoreContract } from './ledger-store.contract.js';
import { MongoLedgerStore } from '#platform';

const url = process.env.MONGODB_URL;

if (!url) {
  const reason = 'MONGODB_URL is not set (no MongoDB server on this machine)';
  console.warn(`MongoDB ledger store contract SKIPPED: ${reason}. Set MONGODB_URL=mongodb://… to run it.`);
  describe.skip(`LedgerStore contract: mongodb — skipped: ${reason}`, () => {
    it('runs the contract against MongoLedgerStore', () => undefined);
  });
} else {
  const run = `lc_ledger_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let n = 0;
  const connect = (databaseName: string) => new MongoConnection({ url, label: redactUrl(url), databaseName, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });
  ledgerStoreContract(`mongodb (${redactUrl(url)})`, async () => {
    const databaseName = `${run}_${++n}`;
    return {
      store: new MongoLedgerStore(connect(databaseName), { ownsConnection: true }),
      other: async () => new MongoLedgerStore(connect(databaseName), { ownsConnection: true }),
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
