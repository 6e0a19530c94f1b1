import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CLOCK, type Clock } from '../apps/api/src/infrastructure/injection-tokens.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/** A launch built over dated commands; its readiness at each date is then asked for with ?asOf. */
describe('audit: time travel over dated commands', () => {
  let t: TestApp;
  let manager: string;
  let auditor: string;
  let now = new Date('2030-03-01T09:00:00.000Z');
  let launchId: string;
  let position = 0;
  const taskIds: Record<string, string> = {};
  /** What the live endpoints answered at each instant. */
  const live: Array<{ at: string; readiness: Record<string, unknown>; launch: Record<string, unknown> }> = [];

  const at = (instant: string) => {
    now = new Date(instant);
  };
  const command = async (path: string, body: Record<string, unknown>) => {
    const response = await t.http.post(`/v1/launches/${launchId}${path}`).set(bearer(manager)).send(body).expect(200);
    position = response.body.position;
  };
  const snapshot = async () => {
    const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness?minPosition=${position}`).set(bearer(auditor)).expect(200)).body;
    const launch = (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(auditor)).expect(200)).body;
    live.push({ at: now.toISOString(), readiness, launch });
  };

  beforeAll(async () => {
    t = await startTestApp();
    jest.spyOn(t.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(now));
    manager = await t.principal('launch-manager');
    auditor = await t.principal('auditor');

    // Tier 3, launching 2030-03-20: messaging due 03-15, release 03-18, docs 03-19.
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Dated', product: 'Dated', targetDate: '2030-03-20', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    position = created.body.position;
    await snapshot();
    for (const task of (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body.tasks) {
      taskIds[task.kind] = task.taskId;
    }

    at('2030-03-10T09:00:00.000Z');
    await command(`/tasks/${taskIds.messaging}/complete`, { details: { documentUrl: 'https://docs.example.com/m', version: '1' } });
    await snapshot();

    at('2030-03-16T12:00:00.000Z');
    await command(`/tasks/${taskIds.release}/block`, { reason: 'failing smoke tests' });
    await snapshot();

    at('2030-03-17T12:00:00.000Z');
    await command(`/tasks/${taskIds.release}/unblock`, { note: 'fixed' });
    await snapshot();

    at('2030-03-19T12:00:00.000Z'); // no command: the release task has become overdue
    await snapshot();

    at('2030-03-19T15:00:00.000Z');
    await command(`/tasks/${taskIds.release}/complete`, { details: { version: '2.0.0' } });
    await command(`/tasks/${taskIds.docs}/complete`, { details: { url: 'https://help.example.com/d' } });
    await snapshot();

    at('2030-04-02T00:00:00.000Z');
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('went through the readiness states the dates imply (the scenario is what it claims)', () => {
    expect(live.map((s) => (s.readiness.overall as { status: string }).status)).toEqual(['on-track', 'on-track', 'blocked', 'at-risk', 'at-risk', 'ready']);
    const engineering = (s: (typeof live)[number]) =>
      (s.readiness.departments as Array<{ department: string; overdue: number }>).find((d) => d.department === 'engineering');
    expect(engineering(live[3]!)!.overdue).toBe(0);
    expect(engineering(live[4]!)!.overdue).toBe(1);
  });

  it('answers ?asOf at each instant with exactly the readiness and launch it had then', async () => {
    for (const snapshot of live) {
      const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness?asOf=${snapshot.at}`).set(bearer(auditor)).expect(200)).body;
      expect(readiness).toEqual({ ...snapshot.readiness, asOf: snapshot.at });
      const launch = (await t.http.get(`/v1/launches/${launchId}?asOf=${snapshot.at}`).set(bearer(auditor)).expect(200)).body;
      expect(launch).toEqual({ ...snapshot.launch, asOf: snapshot.at });
    }
  });

  it('answers ?atRevision with the readiness after that event, judged when it happened', async () => {
    const blockedAt = live[2]!;
    const readiness = (await t.http.get(`/v1/launches/${launchId}/readiness?atRevision=${blockedAt.launch.revision}`).set(bearer(auditor)).expect(200)).body;
    expect(readiness).toEqual({ ...blockedAt.readiness, asOf: blockedAt.at });
  });

  it('answers 404 before the launch existed, and 400 for an instant that is not one', async () => {
    await t.http.get(`/v1/launches/${launchId}/readiness?asOf=2030-03-01T08:59:59.000Z`).set(bearer(auditor)).expect(404);
    await t.http.get(`/v1/launches/${launchId}?asOf=2030-03-01T08:59:59.000Z`).set(bearer(auditor)).expect(404);
    const bad = await t.http.get(`/v1/launches/${launchId}/readiness?asOf=yesterday`).set(bearer(auditor)).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
