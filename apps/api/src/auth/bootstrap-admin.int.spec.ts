import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccessDatabase, SqlitePrincipalStore } from '../infrastructure/sqlite-access-store.js';
import { bootstrapAdmin } from './bootstrap-admin.js';
import { hashToken } from './tokens.js';

describe('bootstrapAdmin', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    dirs.push(dir);
    return { dir, store: new SqlitePrincipalStore(openAccessDatabase(join(dir, 'access.sqlite'))) };
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('generates an admin token on a first start, writes it to DATA_DIR/admin-token with mode 0600, stores only its hash', async () => {
    const { dir, store } = fresh();
    const result = await bootstrapAdmin(store, { dataDir: dir });
    expect(result.generatedToken).toMatch(/^lc_[A-Za-z0-9_-]{43}$/);
    const file = join(dir, 'admin-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(result.generatedToken);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const admin = await store.findByTokenHash(hashToken(result.generatedToken!));
    expect(admin).toMatchObject({ role: 'admin' });
    expect(readFileSync(join(dir, 'access.sqlite')).includes(Buffer.from(result.generatedToken!))).toBe(false);
  });

  it('generates nothing on later starts', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir });
    expect(await bootstrapAdmin(store, { dataDir: dir })).toEqual({});
    expect(await store.count()).toBe(1);
  });

  it('makes ADMIN_TOKEN an admin token, once', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir, adminToken: 'my-admin-token' });
    await bootstrapAdmin(store, { dataDir: dir, adminToken: 'my-admin-token' });
    expect(await store.count()).toBe(1);
    expect(await store.findByTokenHash(hashToken('my-admin-token'))).toMatchObject({ role: 'admin' });
  });
});
