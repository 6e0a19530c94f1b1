import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySignature } from '../apps/api/src/webhooks/delivery/signature.js';
import { startReceiver, type Receiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import type { Resolve } from '../apps/api/src/webhooks/url-safety/guarded-lookup.js';
import { createApiProcess } from './support/api-process.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'whsec-never-in-the-file-0123456789';
const admin = bearer(ADMIN_TOKEN);
const FAST = { retry: { minDelayMs: 20, maxDelayMs: 100 }, timeoutMs: 1000 };

/** Every byte the embedded access database keeps on disk (the file and its WAL). */
const accessFileBytes = (dataDir: string) =>
  ['access.sqlite', 'access.sqlite-wal']
    .map((name) => join(dataDir, name))
    .filter(existsSync)
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');

const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('webhooks: receivers on the server’s own network are refused, secrets are sealed at rest', () => {
  const keyDir = mkdtempSync(join(tmpdir(), 'launch-control-keys-'));
  const secretsKeyFile = join(keyDir, 'secrets.key');
  const receivers: Receiver[] = [];
  const apps: TestApp[] = [];
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  const start = async (overrides: Parameters<typeof startTestApp>[1] = {}, env: Record<string, string> = {}) => {
    const t = await startTestApp(env, { secretsKeyFile, webhooks: FAST, ...overrides });
    apps.push(t);
    return t;
  };
  const launch = async (t: TestApp, name: string) => {
    const manager = await t.principal('launch-manager');
    return (await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-06-01', tier: 3 }).expect(201)).body
      .launchId as string;
  };
  const lastAttempt = (t: TestApp, id: string) => async () =>
    ((await t.http.get(`/v1/webhooks/${id}/deliveries`).set(admin).expect(200)).body as Array<{ status: string; error?: string }>).find(
      (a) => a.error !== 'no answer recorded (the request was in flight when the delivering process stopped)',
    );

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(keyDir, { recursive: true, force: true });
  });

  describe('at registration, by default', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({}, { secretsKeyFile, webhooks: FAST });
    });
    afterAll(() => t.close());

    it.each([
      'http://127.0.0.1:3000/hooks',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://127.1/',
      'http://0177.0.0.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://localhost:3000/v1/launches',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://10.0.0.5/',
      'http://172.16.0.1/',
      'http://192.168.1.20/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://224.0.0.251/',
      'http://255.255.255.255/',
      'https://user:hunter2-pass@hooks.example.com/x',
    ])('refuses %s: 400 problem naming url, nothing stored', async (url) => {
      const response = await t.http.post('/v1/webhooks').set(admin).send({ url, secret: SECRET }).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, errors: [expect.objectContaining({ field: 'url' })] });
      expect(JSON.stringify(response.body)).not.toContain('hunter2');
      expect((await t.http.get('/v1/webhooks').set(admin).expect(200)).body).toEqual([]);
    });

    it('accepts a public receiver, and never shows or stores its secret in clear', async () => {
      const created = (await t.http.post('/v1/webhooks').set(admin).send({ url: 'https://hooks.example.com/launch-control', secret: SECRET }).expect(201)).body;
      expect(created).toMatchObject({ url: 'https://hooks.example.com/launch-control', secretSet: true });
      await t.http.delete(`/v1/webhooks/${created.id}`).set(admin).expect(204);
      expect(accessFileBytes(t.dataDir)).not.toContain(SECRET);
    });
  });

  it('checks at delivery what a name resolves to: a name mapped to 127.0.0.1 is registered, but nothing reaches it ("address not allowed")', async () => {
    const hooks = await receiver();
    const port = new URL(hooks.url).port;
    const rebinding: Resolve = (_hostname, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const t = await start({ webhookResolver: rebinding });
    const { id } = (
      await t.http
        .post('/v1/webhooks')
        .set(admin)
        .send({ url: `http://rebind.example.com:${port}/hooks`, secret: SECRET })
        .expect(201)
    ).body;
    await launch(t, 'Rebinding');
    const attempt = await waitFor(lastAttempt(t, id), 'a failed attempt');
    expect(attempt).toMatchObject({ status: 'failed', error: 'address not allowed' });
    expect((await t.http.get(`/v1/webhooks/${id}`).set(admin).expect(200)).body).toMatchObject({
      state: 'retrying',
      lastError: { message: 'address not allowed' },
    });
    expect(hooks.received).toEqual([]);
  });

  it('with WEBHOOK_ALLOW_PRIVATE, delivers to loopback, signed with the secret, which the file holds only sealed', async () => {
    const hooks = await receiver();
    const t = await start({ webhooks: { ...FAST, allowPrivate: true } });
    await t.http.post('/v1/webhooks').set(admin).send({ url: hooks.url, secret: SECRET }).expect(201);
    await launch(t, 'Signed');
    const [request] = await hooks.waitFor(1);
    expect(verifySignature(SECRET, request.headers['launch-control-signature'] as string, request.raw, Math.floor(Date.now() / 1000))).toBe(true);
    expect(accessFileBytes(t.dataDir)).not.toContain(SECRET);
    const stored = new Database(join(t.dataDir, 'access.sqlite'), { readonly: true });
    try {
      expect(stored.prepare('SELECT secret, secret_key_id FROM webhooks').all()).toEqual([
        { secret: expect.not.stringContaining(SECRET), secret_key_id: expect.stringMatching(/^[0-9a-f]{16}$/) },
      ]);
    } finally {
      stored.close();
    }
  });

  it('tells a closed port from an open one in nothing: both are "connection failed" in the deliveries log', async () => {
    const t = await start({ webhooks: { ...FAST, allowPrivate: true } });
    const closed = await receiver();
    const closedUrl = closed.url;
    await closed.close();
    const open = await receiver();
    const notHttp = open.url.replace('http://', 'https://'); // a TLS handshake with a plain HTTP server fails
    const ids = [];
    for (const url of [closedUrl, notHttp])
      ids.push((await t.http.post('/v1/webhooks').set(admin).send({ url, secret: SECRET }).expect(201)).body.id as string);
    await launch(t, 'Probing');
    for (const id of ids) expect(await waitFor(lastAttempt(t, id), 'a failed attempt')).toMatchObject({ status: 'failed', error: 'connection failed' });
  });

  it('refuses at delivery a stored loopback receiver once WEBHOOK_ALLOW_PRIVATE is off again', async () => {
    const hooks = await receiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-webhooks-safety-'));
    try {
      let t = await start({ webhooks: { ...FAST, allowPrivate: true } }, { DATA_DIR: dataDir });
      const { id } = (await t.http.post('/v1/webhooks').set(admin).send({ url: hooks.url, secret: SECRET }).expect(201)).body;
      await t.close();
      apps.splice(apps.indexOf(t), 1);
      t = await start({}, { DATA_DIR: dataDir });
      await launch(t, 'No longer allowed');
      expect(await waitFor(lastAttempt(t, id), 'a failed attempt')).toMatchObject({ status: 'failed', error: 'address not allowed' });
      expect(hooks.received).toEqual([]);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('does not start with a SECRETS_KEY_FILE that holds no key, and says which file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-bad-key-'));
    const badKey = join(keyDir, 'bad.key');
    writeFileSync(badKey, 'not a key\n', { mode: 0o600 });
    const server = await createApiProcess({ env: { DATA_DIR: dataDir, ADMIN_TOKEN, SECRETS_KEY_FILE: badKey } });
    try {
      await expect(server.start(30_000)).rejects.toThrow(`secrets key file ${badKey}: must hold a 256-bit key`);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);

  it('seals on the next start the secrets an older version stored in clear, and signs with them as before', async () => {
    const hooks = await receiver();
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-webhooks-legacy-'));
    try {
      mkdirSync(dataDir, { recursive: true });
      const legacy = new Database(join(dataDir, 'access.sqlite'));
      legacy.pragma('journal_mode = WAL');
      legacy.exec(`CREATE TABLE webhooks (id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT, secret TEXT NOT NULL, created_at TEXT NOT NULL,
        checkpoint INTEGER NOT NULL, generation INTEGER NOT NULL DEFAULT 0)`);
      legacy
        .prepare('INSERT INTO webhooks VALUES (?, ?, NULL, ?, ?, 0, 0)')
        .run('6f1c3b1e-3c8e-4d7a-9a57-0c6f1d2b9a10', hooks.url, SECRET, '2026-11-01T00:00:00.000Z');
      legacy.close();
      expect(accessFileBytes(dataDir)).toContain(SECRET);

      const t = await start({ webhooks: { ...FAST, allowPrivate: true } }, { DATA_DIR: dataDir });
      expect(accessFileBytes(dataDir)).not.toContain(SECRET);
      await launch(t, 'After the upgrade');
      const received = await hooks.waitFor(1);
      const request = received.at(-1)!;
      expect(verifySignature(SECRET, request.headers['launch-control-signature'] as string, request.raw, Math.floor(Date.now() / 1000))).toBe(true);
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
