import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Answer, ApiProcess } from './support/api-process.js';
import { EXTERNAL_STORES, INSTANCE_ADMIN_TOKEN as ADMIN, ServerInstances } from './support/server-instances.js';

/**
 * Races between real API processes sharing one store (a temporary DATA_DIR; KurrentDB + MongoDB
 * with a projector process when EVENT_STORE_URL and MONGODB_URL are set). Each test starts its own
 * processes from the TypeScript sources and looks at the result through the history endpoint,
 * which reads the events as stored.
 */
describe(`several API processes on one store (${EXTERNAL_STORES ? 'KurrentDB + MongoDB' : 'embedded'})`, () => {
  let instances: ServerInstances | undefined;
  afterEach(async () => {
    await instances?.close();
    instances = undefined;
  });

  /** Two processes started one after the other, a launch manager, and a tier 3 launch. */
  async function twoProcessesAndALaunch() {
    instances = await ServerInstances.create(2);
    await instances.startInTurn();
    const [a, b] = instances.processes;
    const manager = await a.call('POST', '/v1/principals', { token: ADMIN, body: { name: 'Manager', role: 'launch-manager' } });
    expect(manager.status).toBe(201);
    const created = await b.call('POST', '/v1/launches', {
      token: manager.body.token,
      body: { name: 'Race', product: 'Race', targetDate: '2031-01-15', tier: 3 },
    });
    expect(created.status).toBe(201);
    return { a, b, token: manager.body.token as string, launchId: created.body.launchId as string };
  }

  const history = async (server: ApiProcess, token: string, launchId: string) =>
    (await server.call('GET', `/v1/launches/${launchId}/history`, { token })).body.events as {
      revision: number;
      position: number;
      type: string;
      leafIndex: number | null;
      data: { taskId?: string };
      metadata: { idempotencyKey?: string };
    }[];

  const whatAClientSees = (answer: Answer) => ({
    status: answer.status,
    etag: answer.headers.get('etag'),
    location: answer.headers.get('location'),
    body: answer.body,
  });

  it('the same add-task with one Idempotency-Key through two processes at once: identical answers, one TaskAdded, and its taskId exists', async () => {
    const { a, b, token, launchId } = await twoProcessesAndALaunch();
    for (let round = 1; round <= 4; round++) {
      const key = `add-at-once-${round}`;
      const send = (server: ApiProcess) =>
        server.call('POST', `/v1/launches/${launchId}/tasks`, { token, key, body: { title: `Raced ${round}`, department: 'legal' } });
      const [viaA, viaB] = await Promise.all([send(a), send(b)]);

      expect(whatAClientSees(viaB)).toEqual(whatAClientSees(viaA));
      expect(viaA.status).toBe(201);
      expect([viaA, viaB].filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
      const stored = (await history(b, token, launchId)).filter((e) => e.metadata.idempotencyKey === key);
      expect(stored.map((e) => ({ type: e.type, taskId: e.data.taskId, revision: e.revision, position: e.position }))).toEqual([
        { type: 'TaskAdded', taskId: viaA.body.taskId, revision: viaA.body.revision, position: viaA.body.position },
      ]);
    }
    expect((await a.call('GET', `/v1/launches/${launchId}/verify`, { token })).body).toMatchObject({ valid: true });
  }, 60_000);

  it('the same Idempotency-Key with a different body is a 422 problem on any process and appends nothing', async () => {
    const { a, b, token, launchId } = await twoProcessesAndALaunch();
    const first = await a.call('POST', `/v1/launches/${launchId}/tasks`, { token, key: 'one-key', body: { title: 'First', department: 'legal' } });
    expect(first.status).toBe(201);
    const before = await history(a, token, launchId);

    for (const server of [b, a]) {
      const other = await server.call('POST', `/v1/launches/${launchId}/tasks`, {
        token,
        key: 'one-key',
        body: { title: 'Something else', department: 'legal' },
      });
      expect({ status: other.status, type: other.headers.get('content-type') }).toEqual({
        status: 422,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(other.body).toMatchObject({ status: 422 });
    }
    // Two different bodies under one new key at once: one runs, the other is refused.
    const send = (server: ApiProcess, title: string) =>
      server.call('POST', `/v1/launches/${launchId}/tasks`, { token, key: 'raced-key', body: { title, department: 'legal' } });
    const raced = await Promise.all([send(a, 'Left'), send(b, 'Right')]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 422]);

    const after = await history(b, token, launchId);
    // leafIndex is assigned by the ledger after the append (null until then): the stored events themselves must be unchanged.
    const stored = (events: typeof before) => events.map(({ leafIndex: _leafIndex, ...event }) => event);
    expect(stored(after.slice(0, before.length))).toEqual(stored(before));
    expect(after.slice(before.length).map((e) => ({ type: e.type, key: e.metadata.idempotencyKey }))).toEqual([{ type: 'TaskAdded', key: 'raced-key' }]);
  }, 60_000);

  it('a retry through another process after a SIGKILL cut the first answer gets the stored taskId and events', async () => {
    const { a, b, token, launchId } = await twoProcessesAndALaunch();
    const retryThroughB = async (key: string, body: unknown) => {
      let retry: Answer | undefined;
      for (let attempt = 0; attempt < 40 && !(retry && retry.status < 300); attempt++) {
        if (attempt > 0) await sleep(250);
        retry = await b.call('POST', `/v1/launches/${launchId}/tasks`, { token, key, body }).catch(() => undefined);
      }
      return retry;
    };
    const expectTheStoredAnswer = async (key: string, retry: Answer | undefined) => {
      expect(retry?.status).toBe(201);
      const stored = (await history(b, token, launchId)).filter((e) => e.metadata.idempotencyKey === key);
      expect(stored).toHaveLength(1);
      expect(retry!.body).toMatchObject({
        launchId,
        taskId: stored[0].data.taskId,
        events: ['TaskAdded'],
        revision: stored[0].revision,
        position: stored[0].position,
      });
      expect(retry!.headers.get('location')).toBe(`/v1/launches/${launchId}/tasks/${stored[0].data.taskId}`);
    };

    if (!EXTERNAL_STORES) {
      // Aimed at the window between the append and the answer: while the test holds the write lock
      // of the access database, A can append its events but not keep its answer; A dies right then.
      const lock = new Database(join(instances!.dataDir, 'access.sqlite'));
      const body = { title: 'Aimed', department: 'legal' };
      try {
        lock.prepare('BEGIN IMMEDIATE').run();
        const first = a.call('POST', `/v1/launches/${launchId}/tasks`, { token, key: 'aimed', body }).catch(() => undefined);
        for (let i = 0; i < 50 && !(await history(b, token, launchId)).some((e) => e.metadata.idempotencyKey === 'aimed'); i++) await sleep(50);
        await a.kill();
        await first;
      } finally {
        if (lock.inTransaction) lock.prepare('ROLLBACK').run();
        lock.close();
      }
      await expectTheStoredAnswer('aimed', await retryThroughB('aimed', body));
      await a.start(45_000);
    }

    // How long an add-task takes here, so the kills can be aimed between the append and the answer.
    const started = Date.now();
    expect((await a.call('POST', `/v1/launches/${launchId}/tasks`, { token, key: 'timed', body: { title: 'Timed', department: 'legal' } })).status).toBe(201);
    const latency = Date.now() - started;
    for (const [round, share] of [0.5, 0.75, 0.9].entries()) {
      const delayMs = Math.round(latency * share);
      const key = `cut-${round}`;
      const body = { title: `Cut ${round}`, department: 'legal' };
      const first = a.call('POST', `/v1/launches/${launchId}/tasks`, { token, key, body }).catch(() => undefined);
      await sleep(delayMs);
      await a.kill();
      await first;
      await expectTheStoredAnswer(key, await retryThroughB(key, body));
      await a.start(45_000);
    }
    expect((await a.call('GET', `/v1/launches/${launchId}/verify`, { token })).body).toMatchObject({ valid: true });
  }, 90_000);

  it('three processes started at the same moment with one ADMIN_TOKEN all come up and accept it', async () => {
    instances = await ServerInstances.create(3);
    const starts = await instances.startTogether();
    const failures = starts.flatMap((start, i) => (start.status === 'rejected' ? [`process ${i}: ${String(start.reason)}\n${instances!.logTail(i)}`] : []));
    expect(failures).toEqual([]);
    for (const server of instances.processes) {
      const me = await server.call('GET', '/v1/me', { token: ADMIN });
      expect({ status: me.status, role: me.body.role }).toEqual({ status: 200, role: 'admin' });
    }
  }, 60_000);
});
