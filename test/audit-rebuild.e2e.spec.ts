import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPARTMENT_TASKS, LAUNCHES, type ReadModelStore } from '#read-models';
import { VIEW_STORES } from '../apps/api/src/infrastructure/store-tokens.js';
import type { ViewStores } from '../apps/api/src/infrastructure/view-stores.factory.js';
import { main as rebuildCli } from '../apps/cli/src/rebuild-projections.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

/** Every document of the launch views in one generation, straight from the store. */
async function rawViews(t: TestApp, suffix: string) {
  const store: ReadModelStore = t.app.get<ViewStores>(VIEW_STORES).readModels;
  return { launches: await store.find(`${LAUNCHES}${suffix}`), tasks: await store.find(`${DEPARTMENT_TASKS}${suffix}`) };
}

// Each test starts on a store of its own and seeds the launches (and the rebuild) it needs.
describe('audit: rebuilding the read models from zero', () => {
  let base: string;
  let dataDir: string;
  let t: TestApp;
  let manager: string;
  let position = 0;
  let launchIds: string[] = [];

  const admin = bearer(ADMIN_TOKEN);
  const waitForRebuild = async (generation: number) => {
    for (let i = 0; i < 200; i++) {
      const status = (await t.http.get('/v1/admin/projections').set(admin).expect(200)).body;
      if (status.state !== 'rebuilding' && status.generation === generation) return status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no switch to generation ${generation}`);
  };
  const publicViews = async () => ({
    list: (await t.http.get(`/v1/launches?minPosition=${position}`).set(bearer(manager)).expect(200)).body,
    inbox: (await t.http.get(`/v1/departments/engineering/tasks?minPosition=${position}`).set(bearer(manager)).expect(200)).body,
    launch: (await t.http.get(`/v1/launches/${launchIds[0]}?minPosition=${position}`).set(bearer(manager)).expect(200)).body,
  });

  beforeEach(async () => {
    base = mkdtempSync(join(tmpdir(), 'launch-control-rebuild-'));
    dataDir = join(base, 'data');
    t = await startTestApp({ DATA_DIR: dataDir });
    manager = await t.principal('launch-manager');
    position = 0;
    launchIds = [];
  });
  afterEach(async () => {
    await t.close();
    rmSync(base, { recursive: true, force: true });
  });

  /** Given three launches with some history: completed, blocked, rescheduled, cancelled. */
  const givenLaunches = async () => {
    for (const [name, tier] of [
      ['Rebuilt one', 1],
      ['Rebuilt two', 2],
      ['Rebuilt three', 3],
    ] as const) {
      const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-05-01', tier }).expect(201);
      launchIds.push(created.body.launchId);
    }
    const tasks = (await t.http.get(`/v1/launches/${launchIds[2]}?atRevision=0`).set(bearer(manager)).expect(200)).body.tasks;
    const id = (kind: string) => tasks.find((task: { kind: string }) => task.kind === kind).taskId;
    await t.http
      .post(`/v1/launches/${launchIds[2]}/tasks/${id('messaging')}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://d.example.com', version: '1' } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${launchIds[2]}/tasks/${id('release')}/block`)
      .set(bearer(manager))
      .send({ reason: 'QA' })
      .expect(200);
    await t.http.post(`/v1/launches/${launchIds[1]}/reschedule`).set(bearer(manager)).send({ targetDate: '2030-07-01', reason: 'later' }).expect(200);
    position = (await t.http.post(`/v1/launches/${launchIds[0]}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200)).body.position;
    await publicViews();
  };
  /** Given the views rebuilt once through the API (generation 1). */
  const givenRebuilt = async () => {
    await t.http.post('/v1/admin/projections/rebuild').set(admin).expect(202);
    await waitForRebuild(1);
  };

  it('rebuilds every view from position 0 into fresh collections equal to the incrementally built ones, then switches', async () => {
    await givenLaunches();
    const incremental = await rawViews(t, '');
    const before = await publicViews();
    const accepted = await t.http.post('/v1/admin/projections/rebuild').set(admin).expect(202);
    expect(accepted.body).toMatchObject({ state: 'rebuilding', generation: 0 });
    // Reads keep answering, complete, while the rebuild runs.
    expect(await publicViews()).toEqual(before);
    const done = await waitForRebuild(1);
    expect(done).toMatchObject({ state: 'idle', generation: 1, lastRebuild: { generation: 1, position } });
    expect(await rawViews(t, '__g1')).toEqual(incremental);
    expect(await publicViews()).toEqual(before);
  });

  it('keeps projecting new commands after the switch-over', async () => {
    await givenLaunches();
    await givenRebuilt();
    const reopened = await t.http
      .post(`/v1/launches/${launchIds[1]}/reschedule`)
      .set(bearer(manager))
      .send({ targetDate: '2030-08-01', reason: 'even later' })
      .expect(200);
    position = reopened.body.position;
    const list = (await t.http.get(`/v1/launches?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(list.find((l: { launchId: string }) => l.launchId === launchIds[1]).targetDate).toBe('2030-08-01');
    expect((await rawViews(t, '__g1')).launches.find((l) => l.id === launchIds[1])).toMatchObject({ targetDate: '2030-08-01', position });
  });

  it('lets only admins rebuild or see the status', async () => {
    await t.http.post('/v1/admin/projections/rebuild').set(bearer(manager)).expect(403);
    await t.http
      .get('/v1/admin/projections')
      .set(bearer(await t.principal('auditor')))
      .expect(403);
    await t.http.post('/v1/admin/projections/rebuild').expect(401);
  });

  it('documents the audit and admin endpoints in the OpenAPI document', async () => {
    const { paths, components } = (await t.http.get('/docs-json').expect(200)).body;
    expect(paths['/v1/admin/projections/rebuild'].post.responses['202']).toBeDefined();
    expect(paths['/v1/admin/projections'].get).toBeDefined();
    const verification = paths['/v1/launches/{launchId}/verify'].get.responses['200'].content['application/json'].schema.$ref.split('/').pop();
    expect(components.schemas[verification].required).toEqual(['launchId', 'valid', 'events']);
    const format = paths['/v1/launches/{launchId}/history'].get.parameters.find((p: { name: string }) => p.name === 'format');
    expect(format.schema.enum).toEqual(['json', 'ndjson', 'csv']);
  });

  it('rebuilds from the command line into the configured store; the app follows the switch', async () => {
    await givenLaunches();
    await givenRebuilt();
    const incremental = await rawViews(t, '__g1');
    await t.close();
    const out: string[] = [];
    const code = await rebuildCli([], { out: (l) => out.push(l), err: (l) => out.push(l), env: { DATA_DIR: dataDir } });
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(new RegExp(`^read models rebuilt into generation 2 up to position ${position} `));
    t = await startTestApp({ DATA_DIR: dataDir });
    expect((await t.http.get('/v1/admin/projections').set(admin).expect(200)).body.generation).toBe(2);
    expect(await rawViews(t, '__g2')).toEqual(incremental);
    expect(await rawViews(t, '')).toEqual({ launches: [], tasks: [] }); // the retired generation 0 was dropped
  });
});
