import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

// allowPrivate (WEBHOOK_ALLOW_PRIVATE=true): the receivers are on loopback.
const FAST = { webhooks: { retry: { minDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000, allowPrivate: true } };

describe('webhooks across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-webhooks-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const createLaunch = async (t: TestApp, manager: string, name: string) =>
    (await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-06-01', tier: 3 }).expect(201)).body
      .launchId as string;

  it('resumes from its checkpoint: what was delivered is not sent again, what was appended meanwhile is', async () => {
    const hooks = await startReceiver();
    try {
      let t = await startTestApp({ DATA_DIR: dataDir }, FAST);
      const manager = await t.principal('launch-manager');
      const webhook = (await t.http.post('/v1/webhooks').set(bearer(ADMIN_TOKEN)).send({ url: hooks.url, secret: 'whsec-0123456789abcdef' }).expect(201)).body;
      const first = await createLaunch(t, manager, 'Before the restart');
      await hooks.waitFor(1);
      await t.close();

      t = await startTestApp({ DATA_DIR: dataDir }, { ...FAST, webhooks: { ...FAST.webhooks, dispatch: false } });
      const second = await createLaunch(t, manager, 'While nobody delivers');
      await t.close();

      t = await startTestApp({ DATA_DIR: dataDir }, FAST);
      const third = await createLaunch(t, manager, 'After the restart');
      await hooks.waitFor(3);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(hooks.received.map((r) => r.body.launchId)).toEqual([first, second, third]);
      expect((await t.http.get(`/v1/webhooks/${webhook.id}`).set(bearer(ADMIN_TOKEN)).expect(200)).body.position).toBe(await t.headPosition());
      await t.close();
    } finally {
      await hooks.close();
    }
  });
});
