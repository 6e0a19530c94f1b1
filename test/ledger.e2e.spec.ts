import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLeafHash, publicKeyFrom, verifyConsistency, verifyHead, verifyInclusion } from '#ledger';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';
import { startReceiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { verifySignature } from '../apps/api/src/webhooks/delivery/signature.js';
import { forgeAppend, headCovering } from './support/ledger-fixtures.js';

const hashes = (proof: string[]) => proof.map((h) => Buffer.from(h, 'hex'));

/** A history event back as the store holds it, to hash its leaf. */
const stored = (streamId: string, e: Record<string, any>) => ({
  streamId,
  revision: e.revision,
  eventId: e.eventId,
  type: e.type,
  data: e.data,
  metadata: { ...e.metadata, hash: e.hash, prevHash: e.prevHash },
});

describe('the ledger over HTTP', () => {
  const base = mkdtempSync(join(tmpdir(), 'launch-control-ledger-'));
  const dataDir = join(base, 'data');
  const keyFile = join(base, 'keys', 'ledger.pem');
  const env = { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile };
  let t: TestApp;
  let auditor: string;
  let manager: string;
  let launchId: string;

  beforeAll(async () => {
    // allowPrivate: the witness receiver is on loopback.
    t = await startTestApp(env, { webhooks: { retry: { minDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000, allowPrivate: true } });
    auditor = await t.principal('auditor');
    manager = await t.principal('launch-manager');
    launchId = (await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Ledgered', product: 'L', targetDate: '2030-06-01', tier: 3 }).expect(201))
      .body.launchId;
  });
  afterAll(async () => {
    await t.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('generates the key outside DATA_DIR, mode 0600, and serves its public half', async () => {
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = (await t.http.get('/v1/ledger/key').set(bearer(auditor)).expect(200)).body;
    expect(key).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{64}$/), algorithm: 'Ed25519', publicKey: expect.any(String) });
  });

  it('signs a head within a second of an append, over the history the events show with their leafIndex', async () => {
    const key = publicKeyFrom((await t.http.get('/v1/ledger/key').set(bearer(auditor))).body);
    const before = await headCovering(t, auditor, await t.headPosition());
    const tasks = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager))).body.tasks;
    const appendedAt = Date.now();
    await t.http.post(`/v1/launches/${launchId}/tasks/${tasks[0].taskId}/block`).set(bearer(manager)).send({ reason: 'waiting' }).expect(200);
    const head = await headCovering(t, auditor, await t.headPosition());
    expect(Date.now() - appendedAt).toBeLessThan(1000);
    expect(verifyHead(head, key)).toBe(true);

    const history = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(auditor)).expect(200)).body.events;
    for (const event of history) {
      expect(event.leafIndex).toEqual(expect.any(Number));
      const { proof } = (
        await t.http.get(`/v1/ledger/proofs/inclusion?leafIndex=${event.leafIndex}&treeSize=${head.treeSize}`).set(bearer(auditor)).expect(200)
      ).body;
      const leaf = eventLeafHash(stored(`launch-${launchId}`, event));
      expect(verifyInclusion(event.leafIndex, head.treeSize, leaf, hashes(proof), Buffer.from(head.rootHash, 'hex'))).toBe(true);
    }

    const consistency = (await t.http.get(`/v1/ledger/proofs/consistency?from=${before.treeSize}&to=${head.treeSize}`).set(bearer(auditor)).expect(200)).body;
    expect(consistency).toMatchObject({ from: before.treeSize, to: head.treeSize });
    expect(
      verifyConsistency(before.treeSize, head.treeSize, Buffer.from(before.rootHash, 'hex'), Buffer.from(head.rootHash, 'hex'), hashes(consistency.proof)),
    ).toBe(true);
  });

  it('refuses bad proof requests with problems, and anyone but auditors and admins', async () => {
    const head = await headCovering(t, auditor, await t.headPosition());
    for (const query of ['from=2&to=1', `from=0&to=${head.treeSize + 1}`, 'from=-1&to=1', 'from=a&to=1', 'to=1']) {
      const response = await t.http.get(`/v1/ledger/proofs/consistency?${query}`).set(bearer(auditor)).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    for (const query of [`leafIndex=${head.treeSize}&treeSize=${head.treeSize}`, `leafIndex=0&treeSize=${head.treeSize + 1}`, 'leafIndex=0']) {
      await t.http.get(`/v1/ledger/proofs/inclusion?${query}`).set(bearer(auditor)).expect(400);
    }
    await t.http.get('/v1/ledger/head').set(bearer(manager)).expect(403);
    await t.http.get('/v1/ledger/head').expect(401);
    await t.http
      .get('/v1/ledger/head')
      .set(bearer(await t.principal('admin')))
      .expect(200);
  });

  it('offers each new signed head to the webhooks that ask for LedgerHeadSigned (witnesses), signed both ways', async () => {
    const key = publicKeyFrom((await t.http.get('/v1/ledger/key').set(bearer(auditor))).body);
    const receiver = await startReceiver();
    try {
      const secret = 'a-witness-secret-of-some-length';
      const { id } = (
        await t.http
          .post('/v1/webhooks')
          .set(bearer(ADMIN_TOKEN))
          .send({ url: receiver.url, secret, events: ['LedgerHeadSigned'] })
          .expect(201)
      ).body;
      await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Witnessed', product: 'W', targetDate: '2030-06-01', tier: 3 }).expect(201);
      const size = await t.headPosition();
      const deadline = Date.now() + 10_000;
      while (!receiver.received.some((r) => (r.body.data as { treeSize: number }).treeSize >= size) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(receiver.received.length).toBeGreaterThan(0);
      for (const request of receiver.received) {
        expect(request.body).toMatchObject({ type: 'LedgerHeadSigned', eventId: expect.any(String), launchId: null });
        expect(request.headers['launch-control-event-type']).toBe('LedgerHeadSigned');
        expect(verifySignature(secret, request.headers['launch-control-signature'] as string, request.raw, Date.now() / 1000)).toBe(true);
        expect(verifyHead(request.body.data as any, key)).toBe(true);
      }
      expect((receiver.received.at(-1)!.body.data as { treeSize: number }).treeSize).toBeGreaterThanOrEqual(size);
      const deliveries = (await t.http.get(`/v1/webhooks/${id}/deliveries`).set(bearer(ADMIN_TOKEN)).expect(200)).body;
      expect(deliveries[0]).toMatchObject({
        type: 'LedgerHeadSigned',
        launchId: null,
        position: 0,
        status: 'delivered',
        eventId: receiver.received.at(-1)!.body.eventId,
      });
      expect(new Set(receiver.received.map((r) => r.body.eventId)).size).toBe(receiver.received.length); // each head once
    } finally {
      await receiver.close();
    }
  });

  it('never signs over an event forged into the file, and verify reports it', async () => {
    const head = await headCovering(t, auditor, await t.headPosition());
    await t.close();
    forgeAppend(dataDir, `launch-${launchId}`, 'TaskCompleted', { taskId: 'forged' }, { id: 'nobody', name: 'Nobody', role: 'admin' });
    t = await startTestApp(env);
    const verification = (await t.http.get(`/v1/launches/${launchId}/verify`).set(bearer(auditor)).expect(200)).body;
    expect(verification).toMatchObject({ launchId, valid: false, firstUnauthenticatedRevision: expect.any(Number) });
    expect(verification.firstInvalidRevision).toBeUndefined();
    // An append by the server after the forgery is not signed over either: the tree stops before the forged event.
    await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'After', product: 'A', targetDate: '2030-06-01', tier: 3 }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await t.http.get('/v1/ledger/head').set(bearer(auditor)).expect(200)).body.treeSize).toBe(head.treeSize);
  });
});

describe('LEDGER=off (for benchmarks against the ledger)', () => {
  it('appends events without MACs, keeps no tree, and answers the ledger routes 503', async () => {
    const t = await startTestApp({ LEDGER: 'off' });
    try {
      const manager = await t.principal('launch-manager');
      const auditor = await t.principal('auditor');
      const { launchId } = (
        await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Off', product: 'O', targetDate: '2030-06-01', tier: 3 }).expect(201)
      ).body;
      const [event] = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(auditor)).expect(200)).body.events;
      expect(event.metadata.mac).toBeUndefined();
      expect(event.leafIndex).toBeNull();
      const head = await t.http.get('/v1/ledger/head').set(bearer(auditor)).expect(503);
      expect(head.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await t.http.get(`/v1/launches/${launchId}/verify`).set(bearer(auditor)).expect(200)).body).toMatchObject({ valid: true });
    } finally {
      await t.close();
    }
  });
});
