import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

interface Task {
  taskId: string;
  key: string;
  kind: string;
  department: string;
  status: string;
  dueDate: string;
  title: string;
  blockedReason?: string;
  waivedReason?: string;
}

describe('task and launch commands over HTTP', () => {
  let t: TestApp;
  let manager: string;
  let support: string;
  let engineering: string;
  let launchId: string;
  let position = 0;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    support = await t.principal('department', 'support');
    engineering = await t.principal('department', 'engineering');
  });
  afterAll(() => t.close());
  // Given: each test acts on a fresh tier-3 launch of its own.
  beforeEach(async () => {
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Comet', product: 'Comet', targetDate: '2030-05-20', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    position = created.body.position;
  });

  const tasks = async (): Promise<Task[]> => (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body.tasks;
  const taskOfKind = async (kind: string) => (await tasks()).find((task) => task.kind === kind)!;
  const post = async (path: string, token: string, body: object, status = 200) => {
    const response = await t.http.post(`/v1/launches/${launchId}${path}`).set(bearer(token)).send(body).expect(status);
    if (response.body.position) position = response.body.position;
    return response.body;
  };

  it('adds a task: 201 with its id and Location; it shows on the launch and in the inbox', async () => {
    const response = await t.http
      .post(`/v1/launches/${launchId}/tasks`)
      .set(bearer(manager))
      .send({ title: 'Status page entry', department: 'operations', required: false, dueDate: '2030-05-18' })
      .expect(201);
    position = response.body.position;
    expect(response.body).toMatchObject({ launchId, revision: 1, taskId: expect.any(String), events: ['TaskAdded'] });
    expect(response.headers.location).toBe(`/v1/launches/${launchId}/tasks/${response.body.taskId}`);
    const task = (await t.http.get(`${response.headers.location}?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(task).toMatchObject({
      title: 'Status page entry',
      department: 'operations',
      kind: 'generic',
      required: false,
      dueDate: '2030-05-18',
      status: 'open',
    });
    const inbox = (await t.http.get(`/v1/departments/operations/tasks?status=open&minPosition=${position}`).set(bearer(support)).expect(200)).body;
    expect(inbox.filter((item: { launchId: string }) => item.launchId === launchId)).toEqual([
      expect.objectContaining({
        launchId,
        launchName: 'Comet',
        targetDate: '2030-05-20',
        taskId: response.body.taskId,
        title: 'Status page entry',
        kind: 'generic',
        dueDate: '2030-05-18',
        status: 'open',
      }),
    ]);
  });

  it('blocks with a reason (department blocked in readiness) and unblocks', async () => {
    const docs = await taskOfKind('docs');
    await post(`/tasks/${docs.taskId}/block`, support, { reason: 'style guide missing' });
    expect(await taskOfKind('docs')).toMatchObject({ status: 'blocked', blockedReason: 'style guide missing' });
    const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(readiness.departments.find((d: { department: string }) => d.department === 'support')).toMatchObject({ blocked: 1, status: 'blocked' });
    expect(readiness.overall.status).toBe('blocked');
    await post(`/tasks/${docs.taskId}/unblock`, support, { note: 'found it' });
    expect((await taskOfKind('docs')).status).toBe('open');
  });

  it('waives and reopens (launch managers only)', async () => {
    const release = await taskOfKind('release');
    await t.http.post(`/v1/launches/${launchId}/tasks/${release.taskId}/waive`).set(bearer(engineering)).send({ reason: 'no code' }).expect(403);
    await post(`/tasks/${release.taskId}/waive`, manager, { reason: 'docs-only release' });
    expect(await taskOfKind('release')).toMatchObject({ status: 'waived', waivedReason: 'docs-only release' });
    await post(`/tasks/${release.taskId}/reopen`, manager, { reason: 'code after all' });
    expect((await taskOfKind('release')).status).toBe('open');
  });

  it('reschedules and renames a task with PATCH, one event each', async () => {
    const docs = await taskOfKind('docs');
    const response = await t.http
      .patch(`/v1/launches/${launchId}/tasks/${docs.taskId}`)
      .set(bearer(manager))
      .send({ dueDate: '2030-05-15', title: 'Help center updated' })
      .expect(200);
    position = response.body.position;
    expect(response.body.events).toEqual(['TaskRescheduled', 'TaskRenamed']);
    expect(await taskOfKind('docs')).toMatchObject({ dueDate: '2030-05-15', title: 'Help center updated' });
    await t.http.patch(`/v1/launches/${launchId}/tasks/${docs.taskId}`).set(bearer(manager)).send({}).expect(400);
  });

  it('reschedules the launch; open tasks move with it', async () => {
    const before = await taskOfKind('release');
    const body = await post('/reschedule', manager, { targetDate: '2030-05-27', reason: 'conference moved' });
    expect(body.events).toEqual(['LaunchRescheduled']);
    const launch = (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(launch.targetDate).toBe('2030-05-27');
    expect(launch.tasks.find((task: Task) => task.taskId === before.taskId).dueDate).toBe('2030-05-25');
  });

  it('records no-go, which can later become go; launched only after go', async () => {
    await post('/launched', manager, {}, 409);
    expect((await post('/decision', manager, { decision: 'no-go', note: 'not yet' })).events).toEqual(['NoGoDecided']);
    for (const task of await tasks()) {
      if (task.status === 'open' && task.department !== 'operations') await post(`/tasks/${task.taskId}/waive`, manager, { reason: 'scope cut' });
    }
    expect((await post('/decision', manager, { decision: 'go' })).events).toEqual(['GoDecided']);
    const list = (await t.http.get(`/v1/launches?status=go&minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(list.map((l: { launchId: string }) => l.launchId)).toEqual([launchId]);
    await post('/launched', manager, { note: 'live' });
  });
});
