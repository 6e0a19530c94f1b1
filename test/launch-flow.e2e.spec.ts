import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVIDENCE_OF_KIND as EVIDENCE, seedLaunch } from './support/seed-launch.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const EVENT_OF_KIND: Record<string, string> = {
  messaging: 'MessagingApproved',
  'sales-training': 'SalesTrained',
  pr: 'PrScheduled',
  pricing: 'PricingApproved',
  'support-training': 'SupportTrained',
  docs: 'DocumentationPublished',
  release: 'ReleaseApproved',
  generic: 'TaskCompleted',
};

interface Task {
  taskId: string;
  key: string;
  department: string;
  kind: string;
  required: boolean;
  status: string;
}

// Each test seeds the launch it needs (given), sends its request (when) and checks the answer and
// the views (then), so any one of them runs alone.
describe('a tier-1 launch from creation to launched', () => {
  let t: TestApp;
  let manager: string;
  let auditor: string;
  const departmentTokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    auditor = await t.principal('auditor');
    const departments = (await t.http.get('/v1/departments').set(bearer(auditor)).expect(200)).body as Array<{ key: string }>;
    for (const { key } of departments) departmentTokens[key] = await t.principal('department', key as never);
  });
  afterAll(() => t.close());

  const launch = async (launchId: string, minPosition: number) =>
    (await t.http.get(`/v1/launches/${launchId}?minPosition=${minPosition}`).set(bearer(auditor)).expect(200)).body;
  const readiness = async (launchId: string, minPosition: number) =>
    (await t.http.get(`/v1/launches/${launchId}/readiness?minPosition=${minPosition}`).set(bearer(auditor)).expect(200)).body;
  const tierOne = { name: 'Aurora GA', product: 'Aurora', targetDate: '2030-03-01', tier: 1 } as const;

  it('creates the launch from the tier-1 template: 201, Location, ETag, revision and position', async () => {
    const response = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Aurora GA', product: 'Aurora', targetDate: '2030-03-01', tier: 1, description: 'Flagship' })
      .expect(201);
    const { launchId } = response.body;
    expect(launchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.location).toBe(`/v1/launches/${launchId}`);
    expect(response.body).toMatchObject({ revision: 0, position: expect.any(Number) });
    expect(response.headers.etag).toBe('"0"');
  });

  it('shows the launch with every department of the catalog and its tasks open', async () => {
    const { launchId, position } = await seedLaunch(t, tierOne);
    const body = await launch(launchId, position);
    expect(body).toMatchObject({ launchId, name: 'Aurora GA', product: 'Aurora', tier: 1, targetDate: '2030-03-01', status: 'planning', revision: 0 });
    const departments = new Set((body.tasks as Task[]).map((task) => task.department));
    expect(departments.size).toBe(9);
    expect((body.tasks as Task[]).map((task) => task.kind)).toEqual(expect.arrayContaining(['messaging', 'sales-training', 'pr']));
    expect((body.tasks as Task[]).every((task) => task.status === 'open')).toBe(true);
    expect(body.readiness).toMatchObject({ percent: 0 });
    const list = (await t.http.get(`/v1/launches?tier=1&minPosition=${position}`).set(bearer(auditor)).expect(200)).body as Array<{
      launchId: string;
      tier: number;
    }>;
    expect(list.every((item) => item.tier === 1)).toBe(true);
    expect(list.filter((item) => item.launchId === launchId)).toEqual([
      expect.objectContaining({ launchId, name: 'Aurora GA', status: 'planning', readiness: { percent: 0, status: expect.any(String) } }),
    ]);
  });

  it('refuses go while required tasks are open, and records nothing', async () => {
    const { launchId } = await seedLaunch(t, { ...tierOne, complete: (task) => task.kind !== 'release' });
    const before = await t.headPosition();
    const response = await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'go' }).expect(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, title: 'Conflict', type: expect.any(String), detail: expect.stringMatching(/required/) });
    expect(await t.headPosition()).toBe(before);
  });

  it("refuses a department completing another department's task (403), appending nothing", async () => {
    const seeded = await seedLaunch(t, tierOne);
    const release = seeded.task('release');
    const before = await t.headPosition();
    await t.http
      .post(`/v1/launches/${seeded.launchId}/tasks/${release.taskId}/complete`)
      .set(bearer(departmentTokens.sales))
      .send({ details: { version: '1' } })
      .expect(403);
    expect(await t.headPosition()).toBe(before);
  });

  it('lets each department complete its required tasks, readiness moving exactly as defined', async () => {
    const { launchId, tasks: all } = await seedLaunch(t, tierOne);
    const tasks = all.filter((task) => task.required);
    let lastPosition = 0;
    const total = tasks.length;
    let done = 0;
    for (const task of tasks) {
      const response = await t.http
        .post(`/v1/launches/${launchId}/tasks/${task.taskId}/complete`)
        .set(bearer(departmentTokens[task.department]))
        .send({ note: `${task.key} done`, evidenceUrl: 'https://evidence.example.com/1', ...(EVIDENCE[task.kind] && { details: EVIDENCE[task.kind] }) })
        .expect(200);
      done++;
      lastPosition = response.body.position;
      expect(response.body).toMatchObject({ launchId, revision: done, taskId: task.taskId, events: [EVENT_OF_KIND[task.kind]] });
      expect(response.headers.etag).toBe(`"${done}"`);

      const view = await readiness(launchId, lastPosition);
      const expectedOverall = Math.round((100 * done) / total);
      expect(view.overall.percent).toBe(expectedOverall);
      const department = view.departments.find((d: { department: string }) => d.department === task.department);
      const ofDepartment = tasks.filter((x) => x.department === task.department);
      const doneInDepartment = ofDepartment.filter((x) => tasks.indexOf(x) <= tasks.indexOf(task)).length;
      expect(department).toMatchObject({
        total: ofDepartment.length,
        completed: doneInDepartment,
        percent: Math.round((100 * doneInDepartment) / ofDepartment.length),
      });
      expect(department.status).toBe(doneInDepartment === ofDepartment.length ? 'ready' : 'on-track');
    }
    const final = await readiness(launchId, lastPosition);
    expect(final.overall).toEqual({ percent: 100, status: 'ready' });
  });

  it('records who completed what with which evidence, visible on the launch', async () => {
    const { launchId, position } = await seedLaunch(t, { ...tierOne, complete: 'required' });
    const messaging = ((await launch(launchId, position)).tasks as Array<Task & Record<string, unknown>>).find((task) => task.kind === 'messaging')!;
    expect(messaging).toMatchObject({
      status: 'completed',
      completedAt: expect.any(String),
      completedBy: expect.any(String),
      details: EVIDENCE.messaging,
      evidenceUrl: 'https://evidence.example.com/1',
    });
  });

  it('accepts go once every required task is done, then launched', async () => {
    const { launchId } = await seedLaunch(t, { ...tierOne, complete: 'required' });
    const go = await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'go', note: 'all green' }).expect(200);
    expect(go.body.events).toEqual(['GoDecided']);
    const launched = await t.http.post(`/v1/launches/${launchId}/launched`).set(bearer(manager)).send({}).expect(200);
    expect((await launch(launchId, launched.body.position)).status).toBe('launched');
  });

  it('gives auditors the whole history with actors, times, correlation and the hash chain', async () => {
    const { launchId } = await seedLaunch(t, { ...tierOne, complete: 'required', as: manager });
    await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'go' }).expect(200);
    await t.http.post(`/v1/launches/${launchId}/launched`).set(bearer(manager)).send({}).expect(200);
    const { events } = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(auditor)).expect(200)).body;
    expect(events[0]).toMatchObject({
      revision: 0,
      type: 'LaunchCreated',
      metadata: { actor: { role: 'launch-manager' }, occurredAt: expect.any(String), correlationId: expect.any(String) },
    });
    expect(events.at(-1).type).toBe('LaunchCompleted');
    for (let i = 1; i < events.length; i++) {
      expect(events[i].revision).toBe(i);
      expect(events[i].position).toBeGreaterThan(events[i - 1].position);
      expect(events[i].prevHash).toBe(events[i - 1].hash);
    }
    const page = (await t.http.get(`/v1/launches/${launchId}/history?fromRevision=2&limit=3`).set(bearer(auditor)).expect(200)).body;
    expect(page.events.map((e: { revision: number }) => e.revision)).toEqual([2, 3, 4]);
  });

  it('lists the departments and the tier templates', async () => {
    const templates = (await t.http.get('/v1/templates').set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(templates.map((x: { tier: number }) => x.tier)).toEqual([1, 2, 3]);
    for (const tier of templates.slice(0, 2)) {
      expect(tier.tasks.map((task: { kind: string }) => task.kind)).toEqual(expect.arrayContaining(['messaging', 'sales-training', 'pr']));
    }
  });
});
