import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { expectNoPollution, expectProblem, hostileBody, type BodySpec } from './hostile.js';

interface Endpoint extends BodySpec {
  method: 'post' | 'patch';
  path: () => string;
  token: () => string;
  /** Whether a control request (the valid body with a stale If-Match) proves the base body passes validation. */
  control: boolean;
}

/**
 * Every command body, fuzzed: a valid body with one hostile change (wrong type, bad format, huge or
 * exotic string, prototype-pollution key, deep nesting, extra field, not an object, not UTF-8) is a
 * 4xx problem document, appends nothing, pollutes nothing, and the server stays ready.
 */
describe('fuzz: hostile command bodies', () => {
  let t: TestApp;
  let manager: string;
  let ids: { launch: string; goLaunch: string; open: string; blocked: string; completed: string };
  const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

  const endpoints: Record<string, Endpoint> = {
    'POST /v1/launches': {
      method: 'post',
      path: () => '/v1/launches',
      token: () => manager,
      control: false,
      fields: { name: 'text', product: 'text', targetDate: 'date', tier: 'tier', description: 'text' },
      base: { name: 'Fuzz', product: 'F', targetDate: '2030-06-01', tier: 3, description: 'd' },
    },
    'POST /v1/launches/{id}/tasks': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks`,
      token: () => manager,
      control: true,
      fields: { title: 'text', department: 'department', kind: 'kind', required: 'boolean', dueDate: 'date', dependsOn: 'uuids' },
      base: { title: 'T', department: 'legal', kind: 'generic', required: true, dueDate: '2030-05-01' },
    },
    'POST …/complete': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.open}/complete`,
      token: () => manager,
      control: true,
      fields: { note: 'text', evidenceUrl: 'url', details: 'details' },
      base: { note: 'n', evidenceUrl: 'https://evidence.example.com/x' },
    },
    'POST …/block': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.open}/block`,
      token: () => manager,
      control: true,
      fields: { reason: 'text' },
      base: { reason: 'r' },
    },
    'POST …/unblock': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.blocked}/unblock`,
      token: () => manager,
      control: true,
      fields: { note: 'text' },
      base: { note: 'n' },
    },
    'POST …/waive': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.open}/waive`,
      token: () => manager,
      control: true,
      fields: { reason: 'text' },
      base: { reason: 'r' },
    },
    'POST …/reopen': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.completed}/reopen`,
      token: () => manager,
      control: true,
      fields: { reason: 'text' },
      base: { reason: 'r' },
    },
    'PATCH …/tasks/{taskId}': {
      method: 'patch',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.open}`,
      token: () => manager,
      control: true,
      fields: { title: 'text', dueDate: 'date' },
      base: { title: 'T2', dueDate: '2030-05-02' },
    },
    'POST …/comments': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/tasks/${ids.open}/comments`,
      token: () => manager,
      control: true,
      fields: { text: 'text' },
      base: { text: 'c' },
    },
    'PATCH /v1/launches/{id}': {
      method: 'patch',
      path: () => `/v1/launches/${ids.launch}`,
      token: () => manager,
      control: true,
      fields: { name: 'text', product: 'text', description: 'text' },
      base: { name: 'Fuzz 2', product: 'F2', description: 'd2' },
    },
    'POST …/reschedule': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/reschedule`,
      token: () => manager,
      control: true,
      fields: { targetDate: 'date', reason: 'text' },
      base: { targetDate: '2030-07-01', reason: 'r' },
    },
    'POST …/decision': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/decision`,
      token: () => manager,
      control: true,
      fields: { decision: 'decision', note: 'text' },
      base: { decision: 'no-go', note: 'n' },
    },
    'POST …/launched': {
      method: 'post',
      path: () => `/v1/launches/${ids.goLaunch}/launched`,
      token: () => manager,
      control: true,
      fields: { note: 'text' },
      base: { note: 'n' },
    },
    'POST …/cancel': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/cancel`,
      token: () => manager,
      control: true,
      fields: { reason: 'text' },
      base: { reason: 'r' },
    },
    'POST …/votes': {
      method: 'post',
      path: () => `/v1/launches/${ids.launch}/votes`,
      token: () => ADMIN_TOKEN,
      control: true,
      fields: { vote: 'decision', note: 'text', department: 'department' },
      base: { vote: 'go', note: 'n', department: 'operations' },
    },
    'POST /v1/principals': {
      method: 'post',
      path: () => '/v1/principals',
      token: () => ADMIN_TOKEN,
      control: false,
      fields: { name: 'text', role: 'role', department: 'department' },
      base: { name: 'P', role: 'department', department: 'sales' },
    },
  };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT: '0' });
    manager = await t.principal('launch-manager');
    const command = async (path: string, body: object, status = 200) => (await t.http.post(path).set(bearer(manager)).send(body).expect(status)).body;
    const newLaunch = async () => (await command('/v1/launches', { name: 'Fuzz', product: 'F', targetDate: '2030-06-01', tier: 3 }, 201)).launchId as string;
    const newTask = async (launchId: string, title: string) =>
      (await command(`/v1/launches/${launchId}/tasks`, { title, department: 'operations', required: true }, 201)).taskId as string;
    const launch = await newLaunch();
    const open = await newTask(launch, 'Open');
    const blocked = await newTask(launch, 'Blocked');
    const completed = await newTask(launch, 'Completed');
    await command(`/v1/launches/${launch}/tasks/${blocked}/block`, { reason: 'setup' });
    await command(`/v1/launches/${launch}/tasks/${completed}/complete`, {});
    const goLaunch = await newLaunch();
    const view = await t.http
      .get(`/v1/launches/${goLaunch}?minPosition=${await t.headPosition()}`)
      .set(bearer(manager))
      .expect(200);
    for (const task of view.body.tasks) await command(`/v1/launches/${goLaunch}/tasks/${task.taskId}/waive`, { reason: 'setup' });
    await command(`/v1/launches/${goLaunch}/decision`, { decision: 'go' });
    ids = { launch, goLaunch, open, blocked, completed };
  });
  afterAll(() => t.close());

  const principalCount = async () => (await t.http.get('/v1/principals').set(bearer(ADMIN_TOKEN)).expect(200)).body.length as number;

  describe.each(Object.entries(endpoints))('%s', (name, endpoint) => {
    if (endpoint.control) {
      it('control: the valid body passes validation (a stale If-Match is what refuses it, with 412)', async () => {
        const before = await t.headPosition();
        const response = await t.http[endpoint.method](endpoint.path()).set(bearer(endpoint.token())).set('If-Match', '"999999"').send(endpoint.base);
        expect({ name, status: response.status, body: response.body }).toMatchObject({ name, status: 412 });
        expect(await t.headPosition()).toBe(before);
      });
    }

    it('refuses every hostile variation with a 4xx problem and appends nothing', async () => {
      const before = await t.headPosition();
      const principals = await principalCount();
      await fc.assert(
        fc.asyncProperty(hostileBody(endpoint), async ({ what, raw }) => {
          // serialize as is: supertest would JSON-encode a Buffer, and the bytes that are not UTF-8 would never be sent
          const response = await t.http[endpoint.method](endpoint.path())
            .set(bearer(endpoint.token()))
            .set('Content-Type', 'application/json')
            .serialize((body: unknown) => body as string)
            .send(raw as string);
          expectProblem(response, `${name}: ${what}`);
          expectNoPollution();
        }),
        { numRuns: RUNS },
      );
      expect(await t.headPosition()).toBe(before);
      expect(await principalCount()).toBe(principals);
      await t.http.get('/health/ready').expect(200);
    });
  });
});
