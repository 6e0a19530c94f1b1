import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CLOCK, type Clock } from '../apps/api/src/infrastructure/injection-tokens.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Creating or rescheduling a launch says which tasks are already overdue, and a target date in the
 * past needs `backfill`. Today is the server's clock, which the test sets.
 */
describe('warnings, not silence: overdue tasks and past target dates', () => {
  let t: TestApp;
  let manager: string;
  let now = new Date('2030-03-01T09:00:00.000Z');
  const at = (instant: string) => (now = new Date(instant));
  const tasksOf = async (launchId: string) =>
    (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager)).expect(200)).body.tasks as Array<{
      taskId: string;
      key: string;
      title: string;
      department: string;
      dueDate: string;
    }>;
  const warningOf = (task: { taskId: string; title: string; department: string; dueDate: string }) => ({
    code: 'TaskAlreadyOverdue',
    taskId: task.taskId,
    title: task.title,
    department: task.department,
    dueDate: task.dueDate,
  });

  beforeAll(async () => {
    t = await startTestApp();
    jest.spyOn(t.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(now));
    manager = await t.principal('launch-manager');
  });
  afterAll(() => t.close());

  it('creating a launch names the tasks whose due date is already past, and none when there are none', async () => {
    at('2030-03-01T09:00:00.000Z');
    // Tier 2 on 03-12: messaging due 02-19 (past), sales 03-02, pr 03-05, support 03-07, release 03-09, docs 03-10.
    const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Tight', product: 'P', targetDate: '2030-03-12', tier: 2 }).expect(201);
    const messaging = (await tasksOf(created.body.launchId)).find((task) => task.key === 'messaging')!;
    expect(messaging.dueDate).toBe('2030-02-19');
    expect(created.body).toEqual({
      launchId: created.body.launchId,
      revision: 0,
      position: expect.any(Number),
      warnings: [warningOf(messaging)],
      events: ['LaunchCreated'],
    });

    const roomy = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Roomy', product: 'P', targetDate: '2030-04-30', tier: 2 }).expect(201);
    expect(roomy.body.warnings).toEqual([]);
  });

  it('a repeated Idempotency-Key answers the first warnings, even on a later day', async () => {
    at('2030-03-01T09:00:00.000Z');
    const send = () =>
      t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .set('Idempotency-Key', 'warnings-replay-1')
        .send({ name: 'Replayed', product: 'P', targetDate: '2030-03-12', tier: 2 })
        .expect(201);
    const first = await send();
    expect(first.body.warnings).toHaveLength(1);
    at('2030-03-06T09:00:00.000Z'); // sales (03-02) and pr (03-05) would be overdue today
    const repeat = await send();
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
  });

  it('rescheduling names the open tasks then overdue; tasks signed off are never named', async () => {
    at('2030-03-01T09:00:00.000Z');
    const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Moved', product: 'P', targetDate: '2030-03-20', tier: 3 }).expect(201);
    const launchId = created.body.launchId as string;
    // Tier 3 on 03-20: messaging due 03-15, release 03-18, docs 03-19.
    const tasks = await tasksOf(launchId);
    const byKey = (key: string) => tasks.find((task) => task.key === key)!;
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${byKey('messaging').taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://docs.example.com/notes', version: '1' } })
      .expect(200);
    at('2030-03-17T09:00:00.000Z');
    // 03-20 → 03-18 moves the open tasks two days earlier: release 03-16 (past), docs 03-17 (today: not past).
    const earlier = await t.http
      .post(`/v1/launches/${launchId}/reschedule`)
      .set(bearer(manager))
      .send({ targetDate: '2030-03-18', reason: 'earlier' })
      .expect(200);
    expect(earlier.body.events).toEqual(['LaunchRescheduled']);
    expect(earlier.body.warnings).toEqual([warningOf({ ...byKey('release'), dueDate: '2030-03-16' })]);
    const later = await t.http.post(`/v1/launches/${launchId}/reschedule`).set(bearer(manager)).send({ targetDate: '2030-04-18', reason: 'later' }).expect(200);
    expect(later.body.warnings).toEqual([]);
  });

  it('refuses a target date in the past unless backfill says so, appending nothing', async () => {
    at('2030-03-01T09:00:00.000Z');
    const before = await t.headPosition();
    const refused = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Late record', product: 'P', targetDate: '2030-02-28', tier: 3 })
      .expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual([{ field: 'targetDate', message: expect.stringContaining('backfill') }]);
    await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Late record', product: 'P', targetDate: '2030-02-28', tier: 3, backfill: 'yes' })
      .expect(400);
    expect(await t.headPosition()).toBe(before);

    const backfilled = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Late record', product: 'P', targetDate: '2030-02-01', tier: 3, backfill: true })
      .expect(201);
    const launchId = backfilled.body.launchId as string;
    expect(backfilled.body.warnings).toEqual((await tasksOf(launchId)).map(warningOf));
    expect(backfilled.body.warnings).toHaveLength(3);

    const afterCreate = await t.headPosition();
    const past = await t.http
      .post(`/v1/launches/${launchId}/reschedule`)
      .set(bearer(manager))
      .send({ targetDate: '2030-02-10', reason: 'real date' })
      .expect(400);
    expect(past.body.errors).toEqual([{ field: 'targetDate', message: expect.stringContaining('backfill') }]);
    expect(await t.headPosition()).toBe(afterCreate);
    const moved = await t.http
      .post(`/v1/launches/${launchId}/reschedule`)
      .set(bearer(manager))
      .send({ targetDate: '2030-02-10', reason: 'real date', backfill: true })
      .expect(200);
    expect(moved.body.events).toEqual(['LaunchRescheduled']);
    expect(moved.body.warnings.map((w: { dueDate: string }) => w.dueDate)).toEqual(['2030-02-05', '2030-02-08', '2030-02-09']);
  });
});
