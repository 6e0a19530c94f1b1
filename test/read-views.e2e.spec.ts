import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

// Lists and inboxes span launches, so each test gets a store of its own and seeds the launches it lists.
describe('read views: inbox, filters, read-your-writes, time travel', () => {
  let t: TestApp;
  let manager: string;
  let position = 0;

  beforeEach(async () => {
    t = await startTestApp({}, { readYourWritesTimeoutMs: 300 });
    manager = await t.principal('launch-manager');
    position = 0;
  });
  afterEach(() => t.close());

  const create = async (name: string, targetDate: string, tier: number) => {
    const response = await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate, tier }).expect(201);
    position = response.body.position;
    return response.body.launchId as string;
  };

  it("lists a department's tasks across launches, earliest due first, filtered by status", async () => {
    const late = await create('Later', '2030-09-01', 2);
    const soon = await create('Sooner', '2030-04-01', 3);
    const inbox = (await t.http.get(`/v1/departments/support/tasks?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(inbox.map((i: { launchName: string }) => i.launchName)).toEqual(['Sooner', 'Later', 'Later']);
    const dueDates = inbox.map((i: { dueDate: string }) => i.dueDate);
    expect(dueDates).toEqual([...dueDates].sort());
    const docs = inbox.find((i: { launchId: string; kind: string }) => i.launchId === soon && i.kind === 'docs');
    const done = await t.http
      .post(`/v1/launches/${soon}/tasks/${docs.taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { url: 'https://help.example.com/x' } })
      .expect(200);
    const open = (await t.http.get(`/v1/departments/support/tasks?status=open&minPosition=${done.body.position}`).set(bearer(manager)).expect(200)).body;
    expect(open.every((i: { status: string }) => i.status === 'open')).toBe(true);
    expect(open.map((i: { launchId: string }) => i.launchId)).toEqual([late, late]);
    await t.http.get('/v1/departments/support/tasks?status=finished').set(bearer(manager)).expect(400);
  });

  it('filters launches by status and tier', async () => {
    const later = await create('Later', '2030-09-01', 2);
    await create('Sooner', '2030-04-01', 3);
    await t.http.post(`/v1/launches/${later}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200);
    const all = (await t.http.get(`/v1/launches?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(all.map((l: { name: string }) => l.name)).toEqual(['Sooner', 'Later']);
    expect((await t.http.get('/v1/launches?tier=2').set(bearer(manager)).expect(200)).body.map((l: { name: string }) => l.name)).toEqual(['Later']);
    expect((await t.http.get('/v1/launches?status=cancelled').set(bearer(manager)).expect(200)).body.map((l: { name: string }) => l.name)).toEqual(['Later']);
    expect((await t.http.get('/v1/launches?status=go').set(bearer(manager)).expect(200)).body).toEqual([]);
  });

  it('reads its own writes on one instance even without minPosition', async () => {
    const launchId = await create('Immediate', '2030-05-01', 1);
    const launch = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager)).expect(200)).body;
    const generic = launch.tasks.filter((task: { kind: string; required: boolean }) => task.kind === 'generic' && task.required);
    for (const [i, task] of generic.entries()) {
      await t.http.post(`/v1/launches/${launchId}/tasks/${task.taskId}/complete`).set(bearer(manager)).send({}).expect(200);
      const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness`).set(bearer(manager)).expect(200)).body;
      const completed = readiness.departments.reduce((sum: number, d: { completed: number }) => sum + d.completed, 0);
      expect(completed).toBe(i + 1);
    }
  });

  it('answers 503 with Retry-After when the views cannot reach minPosition in time', async () => {
    await create('Reached', '2030-04-01', 3);
    await t.http.get(`/v1/launches?minPosition=${position}`).set(bearer(manager)).expect(200);
    const response = await t.http
      .get(`/v1/launches?minPosition=${position + 1000}`)
      .set(bearer(manager))
      .expect(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers asOf and atRevision by folding the stream; before the launch existed is 404', async () => {
    const beforeCreation = new Date(Date.now() - 1000).toISOString();
    const launchId = await create('Travel', '2030-03-01', 3);
    const createdAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const tasks = (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body.tasks;
    const release = tasks.find((task: { kind: string }) => task.kind === 'release');
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${release.taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { version: '1' } })
      .expect(200);

    await t.http.get(`/v1/launches/${launchId}?asOf=${beforeCreation}`).set(bearer(manager)).expect(404);
    const then = (await t.http.get(`/v1/launches/${launchId}?asOf=${createdAt}`).set(bearer(manager)).expect(200)).body;
    expect(then).toMatchObject({ revision: 0, asOf: createdAt });
    expect(then.tasks.find((task: { kind: string }) => task.kind === 'release').status).toBe('open');
    const readinessThen = (await t.http.get(`/v1/launches/${launchId}/readiness?atRevision=0`).set(bearer(manager)).expect(200)).body;
    expect(readinessThen.overall.percent).toBe(0);
    const readinessNow = (await t.http.get(`/v1/launches/${launchId}/readiness?atRevision=1`).set(bearer(manager)).expect(200)).body;
    expect(readinessNow.overall.percent).toBe(33);
  });
});
