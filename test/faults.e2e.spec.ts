import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { EventStore } from '#event-store';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { ADMIN_TOKEN, bearer } from './support/test-app.js';

/**
 * Real storage faults under the running app, no test hooks: the event log's files made immutable
 * (chattr +i: every write fails with EPERM, as on a file gone read-only) and DATA_DIR on a small tmpfs
 * filled to the last byte (ENOSPC, a full disk). Both need root (CAP_LINUX_IMMUTABLE, CAP_SYS_ADMIN),
 * as CI has. While the fault lasts, commands answer 503 problems with Retry-After and nothing is
 * acknowledged or appended; once it clears, the same commands succeed, without a restart.
 */
describe('storage faults: 503 while the embedded store cannot write, recovery when it can', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(dataDir: string) {
    const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0' }), logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return { app, http: request(app.getHttpServer()), head: () => app.get<EventStore>(EVENT_STORE).headPosition() };
  }
  type Running = Awaited<ReturnType<typeof start>>;

  const createLaunch = (t: Running, token: string, key: string) =>
    t.http
      .post('/v1/launches')
      .set(bearer(token))
      .set('Idempotency-Key', key)
      .send({ name: `Launch ${key}`, product: 'P', targetDate: '2030-06-01', tier: 1, description: 'd'.repeat(3000) });

  const expectUnavailable = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({
      status: 503,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  };

  it('event log files made read-only (immutable): commands are 503, nothing is appended; clearing it lets the same commands through', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-readonly-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const t = await start(dataDir);
    cleanups.push(() => t.app.close());
    const manager = (await t.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ name: 'M', role: 'launch-manager' }).expect(201)).body.token as string;
    await createLaunch(t, manager, 'before').expect(201);
    const before = await t.head();

    const files = ['events.sqlite', 'events.sqlite-wal'].map((f) => join(dataDir, f)).filter((f) => existsSync(f));
    execFileSync('chattr', ['+i', ...files]);
    const immutable = () => {
      execFileSync('chattr', ['-i', ...files]);
    };
    cleanups.push(immutable);

    const during = await Promise.all(['a', 'b', 'c', 'd'].map((key) => createLaunch(t, manager, key)));
    during.forEach(expectUnavailable);
    expect(await t.head()).toBe(before);
    await t.http.get(`/v1/launches?minPosition=${before}`).set(bearer(manager)).expect(200); // reads go on

    immutable();
    const after = await Promise.all(['a', 'b', 'c', 'd'].map((key) => createLaunch(t, manager, key)));
    expect(after.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(await t.head()).toBeGreaterThan(before);
    await waitUntilReady(t);
  });

  it('DATA_DIR on a full disk: commands are 503 and nothing acknowledged is lost; freeing space lets them through', async () => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'launch-control-full-'));
    cleanups.push(() => rmSync(mountPoint, { recursive: true, force: true }));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    cleanups.push(() => {
      execFileSync('umount', ['-l', mountPoint]);
    });
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    let t = await start(dataDir);
    const manager = (await t.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ name: 'M', role: 'launch-manager' }).expect(201)).body.token as string;
    const acknowledged: Array<{ launchId: string; revision: number }> = [];
    const acknowledge = (response: { status: number; body: { launchId: string; revision: number } }) => {
      if (response.status === 201) acknowledged.push(response.body);
    };
    acknowledge(await createLaunch(t, manager, 'before').expect(201));

    const filler = join(mountPoint, 'filler');
    fillDisk(filler);
    cleanups.push(() => rmSync(filler, { force: true }));

    // Space the log had already allocated may still take an append or two; then the disk is full.
    let first503: number | undefined;
    for (let i = 0; i < 100 && first503 === undefined; i++) {
      const response = await createLaunch(t, manager, `fill-${i}`);
      if (response.status === 503) {
        first503 = i;
      } else {
        expect(response.status).toBe(201);
        acknowledge(response);
      }
    }
    expect(first503).toBeDefined();
    const head = await t.head();
    const during = await Promise.all(['x', 'y', 'z'].map((key) => createLaunch(t, manager, key)));
    during.forEach(expectUnavailable);
    expect(await t.head()).toBe(head);

    rmSync(filler);
    const after = await Promise.all(['x', 'y', 'z'].map((key) => createLaunch(t, manager, key)));
    expect(after.map((r) => r.status)).toEqual([201, 201, 201]);
    after.forEach(acknowledge);
    await waitUntilReady(t);

    // Everything acknowledged, before, during and after the fault, is there after a restart.
    await t.app.close();
    t = await start(dataDir);
    cleanups.push(() => t.app.close());
    for (const { launchId, revision } of acknowledged) {
      const view = await t.http
        .get(`/v1/launches/${launchId}?minPosition=${await t.head()}`)
        .set(bearer(manager))
        .expect(200);
      expect(view.body.revision).toBeGreaterThanOrEqual(revision);
    }
  });

  async function waitUntilReady(t: Running): Promise<void> {
    // The projections back off after a storage fault (up to 5 s), then catch up.
    for (let i = 0; i < 100; i++) {
      if ((await t.http.get('/health/ready')).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await t.http.get('/health/ready')).body).toMatchObject({ status: 'ready' });
  }
});

/** Writes until the filesystem refuses with ENOSPC. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    const small = Buffer.alloc(512, 1);
    try {
      for (;;) writeSync(fd, small);
    } catch {
      // full to the last block
    }
  } finally {
    closeSync(fd);
  }
}
