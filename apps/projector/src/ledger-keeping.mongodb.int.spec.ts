import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { eventLeafHash, rootOf, verifyHead } from '#ledger';
import { MongoConnection } from '#mongo';
import { loadStoreConfig, MongoLedgerStore, readLedgerKey, redactUrl } from '#platform';
import { appendChainedEvents } from '../../../test/support/chained-events.js';
import { startProjectorProcess } from './projector-process.js';

const url = process.env.MONGODB_URL;

if (!url) {
  const reason = 'MONGODB_URL is not set (no MongoDB server on this machine)';
  console.warn(`The projector process keeping the ledger in MongoDB SKIPPED: ${reason}. Set MONGODB_URL=mongodb://… to run it.`);
  describe.skip(`the projector process keeping the ledger in MongoDB — skipped: ${reason}`, () => {
    it('extends the tree in MongoDB and signs its heads', () => undefined);
  });
} else {
  /** Production's split: the projector process keeps the tree in MongoDB (ledger_nodes, ledger_leaves, ledger_heads); the API only reads it. */
  describe(`the projector process keeping the ledger in MongoDB (${redactUrl(url)})`, () => {
    const base = mkdtempSync(join(tmpdir(), 'projector-ledger-mongo-'));
    const databaseName = `lc_ledger_keeping_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const withDatabase = new URL(url);
    withDatabase.pathname = `/${databaseName}`;
    const connection = new MongoConnection({ url, label: redactUrl(url), databaseName });
    afterAll(async () => {
      try {
        await (await connection.db()).dropDatabase();
      } finally {
        await connection.close();
        rmSync(base, { recursive: true, force: true });
      }
    });

    it('extends the tree in MongoDB over the events the API appends and signs heads that prove them', async () => {
      const dataDir = join(base, 'data');
      const keyFile = join(base, 'keys', 'ledger.pem');
      const running = await startProjectorProcess(loadStoreConfig({ DATA_DIR: dataDir, MONGODB_URL: withDatabase.href, LEDGER_KEY_FILE: keyFile }), {
        owner: 'mongo-keeper',
        leaseTtlMs: 1500,
        ledgerIntervalMs: 50,
      });
      const events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
      const ledger = new MongoLedgerStore(connection);
      try {
        const key = readLedgerKey(keyFile);
        await appendChainedEvents(events, key.macKey, 5);

        let head = await ledger.latestHead();
        for (const deadline = Date.now() + 15_000; (head?.treeSize ?? 0) < 5 && Date.now() < deadline; head = await ledger.latestHead())
          await new Promise((resolve) => setTimeout(resolve, 50));
        const leaves: Buffer[] = [];
        for await (const event of events.readAll()) leaves.push(eventLeafHash(event));
        expect(head).toMatchObject({ treeSize: 5, rootHash: rootOf(leaves).toString('hex'), keyId: key.keyId });
        expect(verifyHead(head!, key.publicKey)).toBe(true);
      } finally {
        await running.stop();
        await events.close();
      }
    }, 60_000);
  });
}
