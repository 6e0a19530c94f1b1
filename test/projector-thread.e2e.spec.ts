import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Worker } from 'node:worker_threads';
import { LeasedProjections } from '../apps/api/src/infrastructure/projector-thread/leased-projections.js';
import { ProjectorThread } from '../apps/api/src/infrastructure/projector-thread/projector-thread.js';
import { PROJECTOR } from '../apps/api/src/infrastructure/store-tokens.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const LAUNCH = { name: 'Threaded', product: 'Threaded', targetDate: '2031-03-01', tier: 3 };

/** The thread's worker, to kill it as a crash would. */
const workerOf = (thread: ProjectorThread) => (thread as unknown as { worker: Worker | undefined }).worker;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the projections on their own thread (embedded default)', () => {
  let t: TestApp;
  let manager: string;
  let thread: ProjectorThread;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    // The only API on its DATA_DIR: it holds the projector lease, so its thread projects.
    thread = (t.app.get(PROJECTOR) as LeasedProjections).runner as ProjectorThread;
  });
  afterAll(() => t.close());

  it('runs them on a worker thread, and reads see each acknowledged command at once', async () => {
    expect(thread).toBeInstanceOf(ProjectorThread);
    expect(workerOf(thread)).toBeDefined();
    const created = await t.http.post('/v1/launches').set(bearer(manager)).send(LAUNCH).expect(201);
    // No minPosition: the API still waits for what it acknowledged, which only the thread projects.
    const view = await t.http.get(`/v1/launches/${created.body.launchId}`).set(bearer(manager)).expect(200);
    expect(view.body.revision).toBe(created.body.revision);
    const inbox = await t.http.get(`/v1/departments/engineering/tasks?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    expect(JSON.stringify(inbox.body)).toContain(created.body.launchId);
    expect(thread.status()).toMatchObject({ running: true, generation: 0, projections: [{ name: 'launch-views', state: 'running' }] });
    expect(await thread.checkpoint()).toBeGreaterThanOrEqual(created.body.position);
  });

  it('starts a thread that died again, which carries on from its checkpoint', async () => {
    await workerOf(thread)!.terminate();
    expect(thread.status().running).toBe(false);
    expect((await t.http.get('/health/ready').expect(503)).body.checks.projections.ok).toBe(false);

    // Commands are still acknowledged meanwhile; the restarted thread projects them.
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ ...LAUNCH, name: 'After the crash' })
      .expect(201);
    const view = await t.http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    expect(view.body.name).toBe('After the crash');
    await until('readiness', async () => ((await t.http.get('/health/ready')).status === 200 ? true : undefined));
    expect(thread.status().running).toBe(true);
  });

  it('rebuilds in the thread, and the API reads the new generation once it switches', async () => {
    const admin = bearer(ADMIN_TOKEN);
    const seeded = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ ...LAUNCH, name: 'Rebuilt in the thread' })
      .expect(201);
    const before = (await t.http.get(`/v1/launches?minPosition=${seeded.body.position}`).set(bearer(manager)).expect(200)).body;
    const started = await t.http.post('/v1/admin/projections/rebuild').set(admin).expect(202);
    expect(started.body.state).toBe('rebuilding');
    const done = await until('the switch', async () => {
      const status = (await t.http.get('/v1/admin/projections').set(admin).expect(200)).body;
      return status.state === 'idle' && status.generation > 0 ? status : undefined;
    });
    expect(done.lastRebuild.generation).toBe(done.generation);
    expect(thread.status().generation).toBe(done.generation);
    const list = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)).body;
    expect(list.map((launch: { name: string }) => launch.name)).toContain('Rebuilt in the thread');
    expect(list).toEqual(before);
  });
});

describe('PROJECTOR_THREAD', () => {
  it('false runs the projections on the event loop', async () => {
    const t = await startTestApp({ PROJECTOR_THREAD: 'false' });
    try {
      expect((t.app.get(PROJECTOR) as LeasedProjections).projectsHere).toBe(true);
      expect((t.app.get(PROJECTOR) as LeasedProjections).runner).not.toBeInstanceOf(ProjectorThread);
      const manager = await t.principal('launch-manager');
      const created = await t.http.post('/v1/launches').set(bearer(manager)).send(LAUNCH).expect(201);
      await t.http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    } finally {
      await t.close();
    }
  });

  it('refuses a value that is not a switch', () => {
    expect(() => loadConfig({ PROJECTOR_THREAD: 'sometimes' })).toThrow('PROJECTOR_THREAD must be true or false, got "sometimes"');
  });
});
