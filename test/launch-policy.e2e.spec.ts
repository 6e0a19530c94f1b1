import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { seedLaunch, type LaunchSeed, type SeededTask } from './support/seed-launch.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

interface Task {
  taskId: string;
  kind: string;
  department: string;
  status: string;
  required: boolean;
  dependsOn?: string[];
}

const EVIDENCE: Record<string, object> = {
  messaging: { documentUrl: 'https://docs.example.com/m', version: '1' },
  'sales-training': { sessionDate: '2030-01-02', repsTrained: 5, repsTotal: 5 },
  pr: { announceAt: '2030-02-01T09:00:00Z', outlets: ['Wired'] },
  'support-training': { sessionDate: '2030-01-03', agentsTrained: 4 },
  docs: { url: 'https://help.example.com/x' },
  release: { version: '1.0.0' },
};

// Each test seeds the tier-2 launch it needs (given), so any one of them runs alone.
describe('launch policy over HTTP: dependencies, stale sign-offs, votes, decision record', () => {
  let t: TestApp;
  let manager: string;
  const department: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    for (const key of ['product-marketing', 'marketing', 'sales', 'support', 'engineering', 'legal'])
      department[key] = await t.principal('department', key as never);
  });
  afterAll(() => t.close());

  /** Given a tier-2 launch with the tasks `complete` picks completed: how to act on it as its departments. */
  const given = async (complete: LaunchSeed['complete'] = undefined) => {
    const seeded = await seedLaunch(t, { name: 'Policy', product: 'P', targetDate: '2030-03-01', tier: 2, complete });
    const { launchId } = seeded;
    let position = seeded.position;
    const at = () => position;
    const seen = <Response extends { body: { position?: number } }>(response: Response): Response => {
      if (response.body.position) position = response.body.position;
      return response;
    };
    const tasks = async (): Promise<Task[]> =>
      (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body.tasks;
    const task = async (kind: string) => (await tasks()).find((x) => x.kind === kind)!;
    const completeTask = async (kind: string, status = 200) => {
      const target = await task(kind);
      const response = await t.http
        .post(`/v1/launches/${launchId}/tasks/${target.taskId}/complete`)
        .set(bearer(department[target.department]))
        .send({ details: EVIDENCE[kind] })
        .expect(status);
      return seen(response).body;
    };
    return { launchId, at, seen, task, complete: completeTask };
  };
  const ofKinds =
    (...kinds: string[]) =>
    (task: SeededTask) =>
      kinds.includes(task.kind);

  it('sales cannot confirm training before messaging is approved', async () => {
    const { task, complete } = await given();
    const sales = await task('sales-training');
    expect(sales.dependsOn).toEqual([(await task('messaging')).taskId]);
    const refused = await complete('sales-training', 409);
    expect(refused.detail).toMatch(/depends on messaging/);
    await complete('messaging');
    await complete('sales-training');
  });

  it('reopening messaging makes the completed sales training stale, not done until re-confirmed', async () => {
    const { launchId, at, seen, task, complete } = await given(ofKinds('messaging', 'sales-training'));
    const messaging = await task('messaging');
    const reopened = seen(
      await t.http.post(`/v1/launches/${launchId}/tasks/${messaging.taskId}/reopen`).set(bearer(manager)).send({ reason: 'new positioning' }).expect(200),
    );
    expect(reopened.body.events).toEqual(['TaskReopened', 'SignOffInvalidated']);
    expect(await task('sales-training')).toMatchObject({ status: 'stale', invalidatedReason: expect.stringMatching(/messaging was reopened/) });
    const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness?minPosition=${at()}`).set(bearer(manager)).expect(200)).body;
    expect(readiness.departments.find((d: { department: string }) => d.department === 'sales')).toMatchObject({ completed: 0, open: 1, percent: 0 });
    const inbox = (await t.http.get(`/v1/departments/sales/tasks?status=stale&minPosition=${at()}`).set(bearer(manager)).expect(200)).body;
    expect(inbox.filter((item: { launchId: string }) => item.launchId === launchId)).toEqual([
      expect.objectContaining({ launchId, kind: 'sales-training', status: 'stale' }),
    ]);
    await complete('sales-training', 409);
    await complete('messaging');
    await complete('sales-training');
  });

  it('records votes of departments with required tasks; others have none', async () => {
    const { launchId } = await given();
    const vote = await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.sales)).send({ vote: 'no-go', note: 'reps unsure' }).expect(200);
    expect(vote.body.events).toEqual(['VoteCast']);
    await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.legal)).send({ vote: 'go' }).expect(403);
    await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(manager)).send({ vote: 'go' }).expect(403);
    await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.sales)).send({ vote: 'maybe' }).expect(400);
    await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.sales)).send({ vote: 'go' }).expect(200);
  });

  it('shows votes, blockers and the decision in the decision record', async () => {
    const { launchId, at, seen } = await given('required');
    seen(await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.sales)).send({ vote: 'no-go' }).expect(200));
    seen(await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(department.sales)).send({ vote: 'go' }).expect(200));
    const before = (await t.http.get(`/v1/launches/${launchId}/decision-record?minPosition=${at()}`).set(bearer(manager)).expect(200)).body;
    expect(before).toMatchObject({
      launchId,
      status: 'planning',
      policy: { requireGoVotes: false },
      votingDepartments: expect.arrayContaining(['product-marketing', 'sales', 'marketing', 'support', 'engineering']),
      votes: [expect.objectContaining({ department: 'sales', vote: 'go', votedBy: expect.any(String), votedAt: expect.any(String) })],
      blockers: [],
      decision: null,
    });
    expect(before.missingGoVotes).toEqual(expect.arrayContaining(['product-marketing', 'marketing', 'support', 'engineering']));
    const go = await t.http
      .post(`/v1/launches/${launchId}/decision`)
      .set(bearer(manager))
      .send({ decision: 'go', note: 'votes are advisory here' })
      .expect(200);
    const after = (await t.http.get(`/v1/launches/${launchId}/decision-record?minPosition=${go.body.position}`).set(bearer(manager)).expect(200)).body;
    expect(after).toMatchObject({
      status: 'go',
      decision: { decision: 'go', note: 'votes are advisory here', decidedBy: expect.any(String), decidedAt: expect.any(String) },
    });
  });
});

describe('tier policy from TEMPLATES_FILE', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { BUILT_IN_TEMPLATES } = await import('#launch');
    dir = mkdtempSync(join(tmpdir(), 'templates-'));
    const templates = JSON.parse(JSON.stringify(BUILT_IN_TEMPLATES));
    templates[2] = {
      tier: 3,
      name: 'Acme minor',
      version: 'acme-3.1',
      policy: { requireGoVotes: true },
      tasks: [{ key: 'release', title: 'Release signed off', department: 'engineering', kind: 'release', required: true, dueDaysBeforeLaunch: 2 }],
    };
    const file = join(dir, 'templates.json');
    writeFileSync(file, JSON.stringify(templates));
    t = await startTestApp({ TEMPLATES_FILE: file });
  });
  afterAll(async () => {
    await t.close();
    (await import('node:fs')).rmSync(dir, { recursive: true, force: true });
  });

  it('creates launches from the configured template, records its version, and enforces its vote policy', async () => {
    const manager = await t.principal('launch-manager');
    const engineering = await t.principal('department', 'engineering');
    const templates = (await t.http.get('/v1/templates').set(bearer(manager)).expect(200)).body;
    expect(templates[2]).toMatchObject({ name: 'Acme minor', version: 'acme-3.1', policy: { requireGoVotes: true } });
    const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Voted', product: 'V', targetDate: '2030-03-01', tier: 3 }).expect(201);
    const launchId = created.body.launchId;
    const launch = (await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200)).body;
    expect(launch).toMatchObject({ templateVersion: 'acme-3.1', tasks: [expect.objectContaining({ key: 'release' })] });
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${launch.tasks[0].taskId}/complete`)
      .set(bearer(engineering))
      .send({ details: { version: '2' } })
      .expect(200);
    const refused = await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'go' }).expect(409);
    expect(refused.body.detail).toMatch(/go vote from engineering/);
    await t.http.post(`/v1/launches/${launchId}/votes`).set(bearer(engineering)).send({ vote: 'go' }).expect(200);
    await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'go' }).expect(200);
  });
});
