import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chain, GENESIS_HASH, type EventStore } from '#event-store';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

describe('concurrent commands on one launch', () => {
  let t: TestApp;
  let manager: string;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
  });
  afterAll(() => t.close());

  async function launchWithTasks(count: number) {
    const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Swarm', product: 'S', targetDate: '2030-01-10', tier: 3 }).expect(201);
    const launchId = created.body.launchId as string;
    const taskIds: string[] = [];
    for (let i = 0; i < count; i++) {
      taskIds.push(
        (
          await t.http
            .post(`/v1/launches/${launchId}/tasks`)
            .set(bearer(manager))
            .send({ title: `Task ${i}`, department: 'operations' })
            .expect(201)
        ).body.taskId,
      );
    }
    return { launchId, taskIds };
  }

  it('many principals completing different tasks at once all succeed, each with its own revision', async () => {
    const { launchId, taskIds } = await launchWithTasks(30);
    const tokens = await Promise.all(taskIds.map((_, i) => t.principal('department', 'operations', `ops-${i}`)));
    const responses = await Promise.all(
      taskIds.map((taskId, i) =>
        t.http
          .post(`/v1/launches/${launchId}/tasks/${taskId}/complete`)
          .set(bearer(tokens[i]))
          .send({ note: `by ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(taskIds.map(() => 200));
    const revisions = responses.map((r) => r.body.revision as number).sort((a, b) => a - b);
    expect(new Set(revisions).size).toBe(30);
    const { events } = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(manager)).expect(200)).body;
    expect(events.filter((e: { type: string }) => e.type === 'TaskCompleted')).toHaveLength(30);
    events.forEach((e: { revision: number }, i: number) => expect(e.revision).toBe(i));
    for (const response of responses) expect(events[response.body.revision].position).toBe(response.body.position);
  });

  it('two completing the same task: one 2xx and one 409', async () => {
    const { launchId, taskIds } = await launchWithTasks(1);
    const send = () => t.http.post(`/v1/launches/${launchId}/tasks/${taskIds[0]}/complete`).set(bearer(manager)).send({});
    const statuses = (await Promise.all([send(), send()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
  });

  it('If-Match races give exactly one winner; the others get 412', async () => {
    const { launchId } = await launchWithTasks(0);
    const etag = (await t.http.get(`/v1/launches/${launchId}?minPosition=1`).set(bearer(manager)).expect(200)).headers.etag;
    const dates = ['2030-02-01', '2030-02-02', '2030-02-03', '2030-02-04', '2030-02-05'];
    const responses = await Promise.all(
      dates.map((targetDate) =>
        t.http.post(`/v1/launches/${launchId}/reschedule`).set(bearer(manager)).set('If-Match', etag).send({ targetDate, reason: 'race' }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
  });

  it('the same Idempotency-Key sent twice at once appends once', async () => {
    const { launchId, taskIds } = await launchWithTasks(1);
    const before = await t.headPosition();
    const send = () => t.http.post(`/v1/launches/${launchId}/tasks/${taskIds[0]}/complete`).set(bearer(manager)).set('Idempotency-Key', 'same-click').send({});
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect(await t.headPosition()).toBe(before + 1);
  });

  describe('another writer on the same stream (a second API instance on the same KurrentDB)', () => {
    /** Appends straight to the store, behind the back of this instance's cached fold of the launch. */
    async function appendElsewhere(launchId: string, type: string, data: Record<string, unknown>) {
      const store = t.app.get<EventStore>(EVENT_STORE);
      const streamId = `launch-${launchId}`;
      let revision = -1;
      let prevHash = GENESIS_HASH;
      for await (const event of store.readStream(streamId)) {
        revision = event.revision;
        prevHash = String(event.metadata.hash);
      }
      const metadata = { actor: { id: 'other-instance', name: 'Other instance' }, occurredAt: new Date().toISOString() };
      // Another instance keeps the chain too (the store refuses an event that does not link to its head).
      const chained = chain({ streamId, revision: revision + 1, type, data, metadata }, prevHash);
      await store.append(streamId, [{ eventId: crypto.randomUUID(), type, data, metadata: chained }], revision);
      return revision + 1;
    }

    it('a command decided on a fold that is behind is decided again after the other append', async () => {
      const { launchId, taskIds } = await launchWithTasks(2);
      const foreign = await appendElsewhere(launchId, 'TaskCompleted', { taskId: taskIds[0] });

      const response = await t.http.post(`/v1/launches/${launchId}/tasks/${taskIds[1]}/complete`).set(bearer(manager)).send({}).expect(200);

      expect(response.body.revision).toBe(foreign + 1);
      const launch = (await t.http.get(`/v1/launches/${launchId}?minPosition=${response.body.position}`).set(bearer(manager)).expect(200)).body;
      const statusOf = (taskId: string) => launch.tasks.find((task: { taskId: string }) => task.taskId === taskId).status;
      expect(taskIds.map(statusOf)).toEqual(['completed', 'completed']);
    });

    it('a command the cached fold would refuse is decided on the stream as stored', async () => {
      const { launchId, taskIds } = await launchWithTasks(1);
      await t.http.post(`/v1/launches/${launchId}/tasks/${taskIds[0]}/complete`).set(bearer(manager)).send({ note: 'first' }).expect(200);
      const reopened = await appendElsewhere(launchId, 'TaskReopened', { taskId: taskIds[0], reason: 'elsewhere' });

      // This instance's fold still says completed, which would refuse a second completion.
      const response = await t.http.post(`/v1/launches/${launchId}/tasks/${taskIds[0]}/complete`).set(bearer(manager)).send({ note: 'again' }).expect(200);

      expect(response.body.revision).toBe(reopened + 1);
    });
  });
});
