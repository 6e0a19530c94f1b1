import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoConnection } from '#mongo';
import { redactUrl } from '#platform';
import { MongoPrincipalStore } from '../infrastructure/mongo-access-stores.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { hashToken } from './tokens.js';

const url = process.env.MONGODB_URL;

if (!url) {
  const reason = 'MONGODB_URL is not set (no MongoDB server on this machine)';
  console.warn(`bootstrap admin on MongoDB SKIPPED: ${reason}. Set MONGODB_URL=mongodb://… to run it.`);
  describe.skip(`bootstrap admin on MongoDB — skipped: ${reason}`, () => {
    it('races instances for the first admin', () => undefined);
  });
} else {
  describe(`bootstrap admin on MongoDB (${redactUrl(url)}): instances starting together`, () => {
    const run = `lc_bootstrap_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const connections: MongoConnection[] = [];
    const databases: string[] = [];
    const dirs: string[] = [];
    let n = 0;
    /** A database of its own per test; `instances` connections to it, one per simulated instance. */
    const instances = (count: number) => {
      const databaseName = `${run}_${++n}`;
      databases.push(databaseName);
      return Array.from({ length: count }, () => {
        const connection = new MongoConnection({ url, label: redactUrl(url), databaseName, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });
        connections.push(connection);
        return new MongoPrincipalStore(connection);
      });
    };
    const dataDir = () => {
      const dir = mkdtempSync(join(tmpdir(), 'bootstrap-mongo-'));
      dirs.push(dir);
      return dir;
    };
    afterAll(async () => {
      const cleanup = new MongoConnection({ url, label: redactUrl(url) });
      try {
        await cleanup.db(); // connected
        for (const name of databases) await cleanup.client.db(name).dropDatabase();
      } finally {
        await cleanup.close();
        await Promise.all(connections.map((c) => c.close()));
        dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
      }
    });

    it('with one ADMIN_TOKEN: all succeed, exactly one admin exists for it', async () => {
      const token = `lc_${randomBytes(24).toString('hex')}`;
      const stores = instances(5);
      const dir = dataDir();
      await Promise.all(stores.map((store) => bootstrapAdmin(store, { dataDir: dir, adminToken: token })));
      expect(await stores[0]!.count()).toBe(1);
      expect(await stores[0]!.findByTokenHash(hashToken(token))).toMatchObject({ role: 'admin' });
    });

    it('without ADMIN_TOKEN: exactly one token is generated and written (instances sharing a DATA_DIR)', async () => {
      const stores = instances(5);
      const dir = dataDir();
      const results = await Promise.all(stores.map((store) => bootstrapAdmin(store, { dataDir: dir })));
      const generated = results.filter((r) => r.generatedToken);
      expect(generated).toHaveLength(1);
      expect(await stores[0]!.count()).toBe(1);
      expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(generated[0]!.generatedToken);
    });

    it('a new ADMIN_TOKEN revokes the previous one', async () => {
      const [store] = instances(1);
      const dir = dataDir();
      const first = `lc_${randomBytes(24).toString('hex')}`;
      const second = `lc_${randomBytes(24).toString('hex')}`;
      await bootstrapAdmin(store!, { dataDir: dir, adminToken: first });
      await bootstrapAdmin(store!, { dataDir: dir, adminToken: second });
      expect((await store!.findByTokenHash(hashToken(first)))?.revokedAt).toBeDefined();
      expect((await store!.findByTokenHash(hashToken(second)))?.revokedAt).toBeUndefined();
    });
  });
}
