import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { WrittenSoFar } from './support/written-so-far.js';

interface Task {
  taskId: string;
  kind: string;
  department: string;
  owner: { name: string; email: string } | null;
}

const ada = { name: 'Ada Lovelace', email: 'Ada.Lovelace@Example.com' };
const grace = { name: 'Grace Hopper', email: 'grace@example.com' };

describe('task owners', () => {
  let t: TestApp;
  let manager: string;
  let support: string;
  let auditor: string;
  let writes: WrittenSoFar;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    support = await t.principal('department', 'support');
    auditor = await t.principal('auditor');
    writes = new WrittenSoFar(t);
  });
  afterAll(() => t.close());

  const createLaunch = (name: string, targetDate = '2030-05-20') => writes.createLaunch<Task>(manager, { name, targetDate });
  const patch = async (launchId: string, taskId: string, body: object, token = manager, status = 200) =>
    writes.saw(await t.http.patch(`/v1/launches/${launchId}/tasks/${taskId}`).set(bearer(token)).send(body).expect(status));
  const read = (path: string, token = manager) => writes.read(path, token).expect(200);

  it('assigns, shows the owner on the task, the launch and the inbox; the same owner again appends nothing', async () => {
    const { launchId, tasks } = await createLaunch('Comet');
    expect(tasks.every((task) => task.owner === null)).toBe(true);
    const docs = tasks.find((task) => task.kind === 'docs')!;
    const assigned = await patch(launchId, docs.taskId, { owner: ada });
    expect(assigned.body).toMatchObject({ launchId, taskId: docs.taskId, events: ['TaskAssigned'] });

    expect((await read(`/v1/launches/${launchId}/tasks/${docs.taskId}`)).body.owner).toEqual(ada);
    expect((await read(`/v1/launches/${launchId}`)).body.tasks.find((task: Task) => task.taskId === docs.taskId).owner).toEqual(ada);
    const inbox = (await read(`/v1/departments/${docs.department}/tasks`, support)).body;
    expect(inbox.find((item: { taskId: string }) => item.taskId === docs.taskId).owner).toEqual(ada);

    const head = await t.headPosition();
    const again = await patch(launchId, docs.taskId, { owner: { ...ada, email: ada.email.toUpperCase() } });
    expect(again.body).toMatchObject({ revision: assigned.body.revision, events: [] });
    expect(await t.headPosition()).toBe(head);
  });

  it('reassigns (recording the previous owner) and unassigns with null', async () => {
    const { launchId, tasks } = await createLaunch('Nova');
    const release = tasks.find((task) => task.kind === 'release')!;
    await patch(launchId, release.taskId, { owner: ada });
    expect((await patch(launchId, release.taskId, { owner: grace, title: 'Ship it' })).body.events).toEqual(['TaskRenamed', 'TaskAssigned']);
    expect((await patch(launchId, release.taskId, { owner: null })).body.events).toEqual(['TaskUnassigned']);
    expect((await patch(launchId, release.taskId, { owner: null })).body.events).toEqual([]);
    const history = (await read(`/v1/launches/${launchId}/history`)).body.events;
    expect(
      history.filter((e: { type: string }) => e.type.startsWith('TaskAssigned') || e.type === 'TaskUnassigned').map((e: { data: unknown }) => e.data),
    ).toEqual([
      { taskId: release.taskId, owner: ada, previousOwner: null },
      { taskId: release.taskId, owner: grace, previousOwner: ada },
      { taskId: release.taskId, previousOwner: grace },
    ]);
    expect((await read(`/v1/launches/${launchId}/tasks/${release.taskId}`)).body.owner).toBeNull();
  });

  it('refuses bad owners with a 400 problem, and departments with 403, appending nothing', async () => {
    const { launchId, tasks } = await createLaunch('Pulsar');
    const taskId = tasks[0]!.taskId;
    const head = await t.headPosition();
    for (const owner of [
      { name: 'Ada', email: 'not-an-address' },
      { name: '', email: 'ada@example.com' },
      { name: 'x'.repeat(201), email: 'ada@example.com' },
      { name: 'Ada', email: 'ada@example.com', phone: '123' },
      { name: 'Ada' },
      'ada@example.com',
    ]) {
      const refused = await patch(launchId, taskId, { owner }, manager, 400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors.some((e: { field: string }) => e.field.startsWith('owner'))).toBe(true);
    }
    await patch(launchId, taskId, { owner: ada }, support, 403);
    await patch(launchId, taskId, { owner: ada }, auditor, 403);
    expect(await t.headPosition()).toBe(head);
  });

  it("GET /v1/tasks lists one person's tasks across launches and departments, any case, by status", async () => {
    const owner = { name: 'Lin Owner', email: 'lin.owner@example.com' };
    const first = await createLaunch('Alpha', '2030-07-01');
    const second = await createLaunch('Beta', '2030-06-01');
    const mine = [first.tasks[0]!, first.tasks[1]!, second.tasks[2]!];
    await patch(first.launchId, mine[0]!.taskId, { owner });
    await patch(first.launchId, mine[1]!.taskId, { owner: { ...owner, email: 'LIN.OWNER@example.com' } });
    await patch(second.launchId, mine[2]!.taskId, { owner });
    await patch(second.launchId, second.tasks[0]!.taskId, { owner: grace });
    writes.saw(await t.http.post(`/v1/launches/${first.launchId}/tasks/${mine[1]!.taskId}/block`).set(bearer(manager)).send({ reason: 'waiting' }).expect(200));

    const all = (await read('/v1/tasks?owner=Lin.Owner@EXAMPLE.com', auditor)).body as Array<Record<string, unknown>>;
    expect(all.map((item) => item.taskId).sort()).toEqual(mine.map((task) => task.taskId).sort());
    expect(all.map((item) => item.dueDate)).toEqual([...all.map((item) => item.dueDate as string)].sort());
    expect(all.find((item) => item.taskId === mine[2]!.taskId)).toEqual(
      expect.objectContaining({ launchId: second.launchId, launchName: 'Beta', department: mine[2]!.department, status: 'open', owner }),
    );
    const open = (await read('/v1/tasks?owner=lin.owner@example.com&status=open', support)).body as Array<{ taskId: string }>;
    expect(open.map((item) => item.taskId).sort()).toEqual([mine[0]!.taskId, mine[2]!.taskId].sort());
    const openOrBlocked = (await read('/v1/tasks?owner=lin.owner@example.com&status=open,blocked', support)).body;
    expect(openOrBlocked).toHaveLength(3);

    writes.saw(await t.http.post(`/v1/launches/${second.launchId}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200));
    expect((await read('/v1/tasks?owner=lin.owner@example.com')).body.map((item: { launchId: string }) => item.launchId)).toEqual([
      first.launchId,
      first.launchId,
    ]);
  });

  it('GET /v1/tasks refuses a missing or bad owner and unknown statuses', async () => {
    for (const query of [
      '',
      '?owner=nobody',
      '?owner=a@example.com&status=done',
      '?owner=a@example.com&status=open,stale,done',
      '?owner=a@example.com&limit=0',
    ]) {
      const refused = await t.http.get(`/v1/tasks${query}`).set(bearer(manager)).expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await t.http.get('/v1/tasks?owner=a@example.com').expect(401);
  });
});
