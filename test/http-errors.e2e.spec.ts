import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

interface Task {
  taskId: string;
  kind: string;
  department: string;
}

describe('the HTTP contract: every refusal is a problem document and appends nothing', () => {
  let t: TestApp;
  let manager: string;
  let sales: string;
  let auditor: string;
  let launchId: string;
  let tasks: Task[];
  let before: number;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    sales = await t.principal('department', 'sales');
    auditor = await t.principal('auditor');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Nimbus', product: 'Nimbus', targetDate: '2030-06-01', tier: 2 })
      .expect(201);
    launchId = created.body.launchId;
    tasks = (await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200)).body.tasks;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    before = await t.headPosition();
  });

  const task = (kind: string) => tasks.find((x) => x.kind === kind)!;
  const expectProblem = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  };
  const nothingAppended = async () => expect(await t.headPosition()).toBe(before);

  describe('400', () => {
    it('malformed JSON', async () => {
      const response = await t.http.post('/v1/launches').set(bearer(manager)).set('Content-Type', 'application/json').send('{"name": ');
      expectProblem(response, 400);
      await nothingAppended();
    });

    it('failed validation lists each field', async () => {
      const response = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: '', product: 'P', targetDate: '2030-02-30', tier: 4 });
      expectProblem(response, 400);
      const fields = (response.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'targetDate', 'tier']));
      await nothingAppended();
    });

    it('unknown fields', async () => {
      const response = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'X', product: 'P', targetDate: '2030-02-01', tier: 1, owner: 'me' });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'owner' })]);
      await nothingAppended();
    });

    it('prototype-pollution keys', async () => {
      const response = await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .set('Content-Type', 'application/json')
        .send('{"name":"X","product":"P","targetDate":"2030-02-01","tier":1,"__proto__":{"admin":true}}');
      expectProblem(response, 400);
      await nothingAppended();
    });

    it('a body that is not an object', async () => {
      expectProblem(await t.http.post('/v1/launches').set(bearer(manager)).set('Content-Type', 'application/json').send('[1,2]'), 400);
      await nothingAppended();
    });

    it('details that do not fit the task kind', async () => {
      const response = await t.http
        .post(`/v1/launches/${launchId}/tasks/${task('sales-training').taskId}/complete`)
        .set(bearer(sales))
        .send({ details: { sessionDate: '2030-05-01', repsTrained: 50, repsTotal: 40 } });
      expectProblem(response, 400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'details.repsTrained' })]);
      await nothingAppended();
    });

    it('bad ids and dates in the path or query', async () => {
      expectProblem(await t.http.get('/v1/launches/not-a-uuid').set(bearer(auditor)), 400);
      expectProblem(await t.http.post(`/v1/launches/${launchId}/tasks/42/complete`).set(bearer(manager)).send({}), 400);
      expectProblem(await t.http.get(`/v1/launches/${launchId}?asOf=yesterday`).set(bearer(auditor)), 400);
      expectProblem(await t.http.get(`/v1/launches?tier=seven`).set(bearer(auditor)), 400);
      expectProblem(await t.http.get(`/v1/launches/${launchId}?minPosition=-1`).set(bearer(auditor)), 400);
      await nothingAppended();
    });

    it('a malformed If-Match or Idempotency-Key', async () => {
      expectProblem(
        await t.http.post(`/v1/launches/${launchId}/reschedule`).set(bearer(manager)).set('If-Match', 'abc').send({ targetDate: '2030-07-01', reason: 'x' }),
        400,
      );
      expectProblem(
        await t.http
          .post(`/v1/launches/${launchId}/reschedule`)
          .set(bearer(manager))
          .set('Idempotency-Key', 'k'.repeat(129))
          .send({ targetDate: '2030-07-01', reason: 'x' }),
        400,
      );
      await nothingAppended();
    });
  });

  describe('401', () => {
    it('missing, malformed, unknown and revoked tokens', async () => {
      expectProblem(await t.http.get('/v1/launches'), 401);
      expectProblem(await t.http.get('/v1/launches').set('Authorization', 'Basic abc'), 401);
      expectProblem(await t.http.get('/v1/launches').set(bearer('lc_nope')), 401);
      const created = await t.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ name: 'temp', role: 'auditor' }).expect(201);
      await t.http.get('/v1/me').set(bearer(created.body.token)).expect(200);
      await t.http.delete(`/v1/principals/${created.body.id}`).set(bearer(ADMIN_TOKEN)).expect(204);
      expectProblem(await t.http.get('/v1/me').set(bearer(created.body.token)), 401);
      expectProblem(await t.http.post(`/v1/launches/${launchId}/cancel`).send({ reason: 'x' }), 401);
      await nothingAppended();
    });
  });

  describe('403', () => {
    it('roles that may not act', async () => {
      expectProblem(await t.http.post('/v1/launches').set(bearer(sales)).send({ name: 'X', product: 'P', targetDate: '2030-02-01', tier: 1 }), 403);
      expectProblem(await t.http.post(`/v1/launches/${launchId}/cancel`).set(bearer(auditor)).send({ reason: 'x' }), 403);
      expectProblem(
        await t.http
          .post(`/v1/launches/${launchId}/tasks/${task('release').taskId}/waive`)
          .set(bearer(sales))
          .send({ reason: 'x' }),
        403,
      );
      expectProblem(await t.http.post('/v1/principals').set(bearer(manager)).send({ name: 'x', role: 'admin' }), 403);
      expectProblem(await t.http.get('/v1/principals').set(bearer(auditor)), 403);
      await nothingAppended();
    });

    it("a department on another department's task", async () => {
      expectProblem(
        await t.http
          .post(`/v1/launches/${launchId}/tasks/${task('release').taskId}/block`)
          .set(bearer(sales))
          .send({ reason: 'x' }),
        403,
      );
      await nothingAppended();
    });
  });

  describe('404', () => {
    it('unknown launch, task, principal, department and route', async () => {
      const unknown = randomUUID();
      expectProblem(await t.http.get(`/v1/launches/${unknown}`).set(bearer(auditor)), 404);
      expectProblem(await t.http.get(`/v1/launches/${unknown}/readiness`).set(bearer(auditor)), 404);
      expectProblem(await t.http.get(`/v1/launches/${unknown}/history`).set(bearer(auditor)), 404);
      expectProblem(await t.http.post(`/v1/launches/${unknown}/cancel`).set(bearer(manager)).send({ reason: 'x' }), 404);
      expectProblem(await t.http.post(`/v1/launches/${launchId}/tasks/${unknown}/complete`).set(bearer(manager)).send({}), 404);
      expectProblem(await t.http.delete(`/v1/principals/${unknown}`).set(bearer(ADMIN_TOKEN)), 404);
      expectProblem(await t.http.get('/v1/departments/hr/tasks').set(bearer(auditor)), 404);
      expectProblem(await t.http.get('/v1/nothing-here').set(bearer(auditor)), 404);
      await nothingAppended();
    });
  });

  describe('409', () => {
    it('a task already completed', async () => {
      const release = task('release');
      await t.http
        .post(`/v1/launches/${launchId}/tasks/${release.taskId}/complete`)
        .set(bearer(manager))
        .send({ details: { version: '1.0.0' } })
        .expect(200);
      before = await t.headPosition();
      expectProblem(
        await t.http
          .post(`/v1/launches/${launchId}/tasks/${release.taskId}/complete`)
          .set(bearer(manager))
          .send({ details: { version: '1.0.1' } }),
        409,
      );
      await nothingAppended();
    });
  });

  describe('412', () => {
    it('If-Match that is not the current revision; the matching one succeeds', async () => {
      const current = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager)).expect(200)).headers.etag;
      expectProblem(
        await t.http.post(`/v1/launches/${launchId}/reschedule`).set(bearer(manager)).set('If-Match', '"999"').send({ targetDate: '2030-07-01', reason: 'x' }),
        412,
      );
      await nothingAppended();
      const ok = await t.http
        .post(`/v1/launches/${launchId}/reschedule`)
        .set(bearer(manager))
        .set('If-Match', current)
        .send({ targetDate: '2030-07-01', reason: 'summer' })
        .expect(200);
      expect(ok.headers.etag).toBe(`"${Number(current.replaceAll('"', '')) + 1}"`);
    });
  });

  describe('413 and 415', () => {
    it('a body over 64 KiB', async () => {
      expectProblem(
        await t.http
          .post('/v1/launches')
          .set(bearer(manager))
          .send({ name: 'x'.repeat(70 * 1024), product: 'P', targetDate: '2030-02-01', tier: 1 }),
        413,
      );
      await nothingAppended();
    });

    it('a body that is not JSON', async () => {
      expectProblem(await t.http.post('/v1/launches').set(bearer(manager)).set('Content-Type', 'text/plain').send('name=x'), 415);
      expectProblem(await t.http.post('/v1/launches').set(bearer(manager)).type('form').send({ name: 'x' }), 415);
      await nothingAppended();
    });
  });

  describe('Idempotency-Key', () => {
    it('a repeat returns the first answer and appends nothing', async () => {
      const send = () =>
        t.http
          .post('/v1/launches')
          .set(bearer(manager))
          .set('Idempotency-Key', 'create-orion-1')
          .send({ name: 'Orion', product: 'Orion', targetDate: '2030-09-01', tier: 3 });
      const first = await send().expect(201);
      const afterFirst = await t.headPosition();
      const again = await send().expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.location).toBe(first.headers.location);
      expect(await t.headPosition()).toBe(afterFirst);
    });

    it('a repeated refusal is refused the same way', async () => {
      const send = () => t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).set('Idempotency-Key', 'go-early').send({ decision: 'go' });
      const first = await send().expect(409);
      expect((await send().expect(409)).body).toEqual(first.body);
      await nothingAppended();
    });
  });

  describe('after cancel', () => {
    it('every command on the launch is 409', async () => {
      const created = await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Doomed', product: 'D', targetDate: '2030-02-01', tier: 3 })
        .expect(201);
      const id = created.body.launchId;
      await t.http.post(`/v1/launches/${id}/cancel`).set(bearer(manager)).send({ reason: 'budget' }).expect(200);
      before = await t.headPosition();
      expectProblem(await t.http.post(`/v1/launches/${id}/tasks`).set(bearer(manager)).send({ title: 'x', department: 'sales' }), 409);
      expectProblem(await t.http.post(`/v1/launches/${id}/reschedule`).set(bearer(manager)).send({ targetDate: '2030-03-01', reason: 'x' }), 409);
      expectProblem(await t.http.post(`/v1/launches/${id}/cancel`).set(bearer(manager)).send({ reason: 'again' }), 409);
      await nothingAppended();
    });
  });
});
