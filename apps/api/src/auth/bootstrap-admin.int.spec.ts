import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccessDatabase, SqlitePrincipalStore } from '../infrastructure/sqlite-access-store.js';
import { AdminTokenError, bootstrapAdmin, GENERATED_ADMIN_ID } from './bootstrap-admin.js';
import { hashToken } from './tokens.js';

const TOKEN_A = 'admin-token-a-0123456789abcdefghijklmnop';
const TOKEN_B = 'admin-token-b-0123456789abcdefghijklmnop';

describe('bootstrapAdmin', () => {
  const dirs: string[] = [];
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    dirs.push(dir);
    return dir;
  };
  /** A connection of its own, as another process on the same DATA_DIR would have. */
  const storeIn = (dir: string) => new SqlitePrincipalStore(openAccessDatabase(join(dir, 'access.sqlite')));
  const fresh = () => {
    const dir = freshDir();
    return { dir, store: storeIn(dir) };
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

  it('generates nothing on later starts, and names the token file', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir });
    expect(await bootstrapAdmin(store, { dataDir: dir })).toEqual({ tokenFile: join(dir, 'admin-token'), notices: [] });
    expect(await store.count()).toBe(1);
  });

  it('first starts racing on one DATA_DIR (a connection each) generate exactly one token, written once', async () => {
    const dir = freshDir();
    const results = await Promise.all(Array.from({ length: 6 }, () => bootstrapAdmin(storeIn(dir), { dataDir: dir })));
    const generated = results.filter((r) => r.generatedToken);
    expect(generated).toHaveLength(1);
    const store = storeIn(dir);
    expect(await store.count()).toBe(1);
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(generated[0]!.generatedToken);
    expect(await store.findByTokenHash(hashToken(generated[0]!.generatedToken!))).toMatchObject({ role: 'admin' });
    expect(readdirSync(dir).filter((name) => name.startsWith('admin-token'))).toEqual(['admin-token']); // no leftovers
  });

  it('starts racing with one ADMIN_TOKEN create exactly one admin for it', async () => {
    const dir = freshDir();
    await Promise.all(Array.from({ length: 6 }, () => bootstrapAdmin(storeIn(dir), { dataDir: dir, adminToken: TOKEN_A })));
    const store = storeIn(dir);
    expect(await store.count()).toBe(1);
    expect(await store.findByTokenHash(hashToken(TOKEN_A))).toMatchObject({ role: 'admin' });
  });

  it('makes ADMIN_TOKEN an admin token, once', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A });
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A });
    expect(await store.count()).toBe(1);
    expect(await store.findByTokenHash(hashToken(TOKEN_A))).toMatchObject({ role: 'admin' });
  });

  it('refuses an ADMIN_TOKEN shorter than 32 characters, adding nothing', async () => {
    const { dir, store } = fresh();
    await expect(bootstrapAdmin(store, { dataDir: dir, adminToken: 'admin' })).rejects.toThrow(AdminTokenError);
    await expect(bootstrapAdmin(store, { dataDir: dir, adminToken: 'x'.repeat(31) })).rejects.toThrow(/at least 32 characters/);
    expect(await store.count()).toBe(0);
    await bootstrapAdmin(store, { dataDir: dir, adminToken: 'x'.repeat(32) });
    expect(await store.count()).toBe(1);
  });

  it('a new ADMIN_TOKEN revokes the admin of the previous one, and only that one', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A });
    await store.add({
      id: '6f1c1c5e-0000-4000-8000-000000000001',
      name: 'Lee',
      role: 'admin',
      tokenHash: hashToken('lee'),
      createdAt: new Date().toISOString(),
    });
    const result = await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_B });
    expect(result.notices).toEqual([expect.stringMatching(/previous ADMIN_TOKEN is revoked/)]);
    expect((await store.findByTokenHash(hashToken(TOKEN_A)))?.revokedAt).toBeDefined();
    expect((await store.findByTokenHash(hashToken(TOKEN_B)))?.revokedAt).toBeUndefined();
    expect((await store.findByTokenHash(hashToken('lee')))?.revokedAt).toBeUndefined();
  });

  it('an admin made from ADMIN_TOKEN before admins were marked is revoked once the token changes', async () => {
    const { dir, store } = fresh();
    await store.add({
      id: '6f1c1c5e-0000-4000-8000-000000000002',
      name: 'bootstrap admin',
      role: 'admin',
      tokenHash: hashToken(TOKEN_A),
      createdAt: new Date().toISOString(),
    });
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A }); // the upgrade's first start, same token
    expect(await store.count()).toBe(1);
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_B });
    expect((await store.findByTokenHash(hashToken(TOKEN_A)))?.revokedAt).toBeDefined();
    expect((await store.findByTokenHash(hashToken(TOKEN_B)))?.revokedAt).toBeUndefined();
  });

  it('a start with an old, revoked ADMIN_TOKEN neither revives it nor revokes the newer one', async () => {
    const { dir, store } = fresh();
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A });
    await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_B });
    const result = await bootstrapAdmin(store, { dataDir: dir, adminToken: TOKEN_A });
    expect(result.notices).toEqual([expect.stringMatching(/revoked/)]);
    expect((await store.findByTokenHash(hashToken(TOKEN_A)))?.revokedAt).toBeDefined();
    expect((await store.findByTokenHash(hashToken(TOKEN_B)))?.revokedAt).toBeUndefined();
  });

  it('a token file lost to a crash between the insert and the rename is published on the next start', async () => {
    const { dir, store } = fresh();
    const token = 'lc_crashed-between-insert-and-rename-0123456789';
    writeFileSync(join(dir, 'admin-token.abc123.tmp'), `${token}\n`, { mode: 0o600 });
    await store.add({
      id: GENERATED_ADMIN_ID,
      name: 'bootstrap admin',
      role: 'admin',
      tokenHash: hashToken(token),
      createdAt: new Date().toISOString(),
      bootstrap: 'generated',
    });
    const result = await bootstrapAdmin(store, { dataDir: dir });
    expect(result.generatedToken).toBeUndefined();
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(token);
    expect(readdirSync(dir).filter((name) => name.startsWith('admin-token'))).toEqual(['admin-token']);
  });
});
