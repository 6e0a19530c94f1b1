import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sample } from 'openapi-sampler';
import { OpenApiConformance } from './support/openapi-conformance.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Bodies built by openapi-sampler from each request schema of the served document (one with every
 * field, one with the required fields only) are accepted by the server: the document promises
 * nothing the server refuses. Each operation gets a fresh tier-1 launch, set up so that its state
 * allows the command (a task to block, a blocked task to unblock, every task waived before go…).
 * A sample the schema itself does not allow (the sampler ignores some keywords, e.g. minProperties)
 * must be refused with 400 instead: the document and the server agree either way.
 */
describe('sample bodies from the OpenAPI request schemas', () => {
  let t: TestApp;
  let document: any;
  let kindFields: Map<string, string>;
  let contract: OpenApiConformance;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    // No deliveries: the sampled receiver URL is not on this machine.
    t = await startTestApp({ WEBHOOK_DISPATCH: 'off' });
    document = (await t.http.get('/docs-json').expect(200)).body;
    contract = new OpenApiConformance(document);
    const templates = (await t.http.get('/v1/templates').set(admin).expect(200)).body as Array<{ tasks: Array<{ kind: string; detailFields: string[] }> }>;
    kindFields = new Map(
      templates.flatMap((template) => template.tasks.map((task) => [[...task.detailFields].sort().join(','), task.kind] as [string, string])),
    );
  });
  afterAll(() => t?.close());

  const bodies = (path: string, method: string): Array<[string, Record<string, any>]> => {
    const schema = document.paths[path][method].requestBody.content['application/json'].schema;
    return [
      ['every field', sample(schema, { skipReadOnly: true }, document) as Record<string, any>],
      ['required fields', sample(schema, { skipReadOnly: true, skipNonRequired: true }, document) as Record<string, any>],
    ];
  };

  async function launch(): Promise<{
    launchId: string;
    tasks: Array<{ taskId: string; kind: string; required: boolean; status: string; dependsOn?: string[] }>;
  }> {
    const created = await t.http.post('/v1/launches').set(admin).send({ name: 'Sampled', product: 'Samples', targetDate: '2030-06-01', tier: 1 }).expect(201);
    return (await t.http.get(`/v1/launches/${created.body.launchId}`).set(admin).expect(200)).body;
  }

  async function command(url: string, body: Record<string, unknown>, status = 200) {
    const answer = await t.http.post(url).set(admin).send(body);
    expect([url, answer.status, answer.body]).toEqual([url, status, expect.anything()]);
  }

  async function waiveAll(launchId: string, tasks: Array<{ taskId: string; required: boolean }>) {
    for (const task of tasks.filter((task) => task.required)) await command(`/v1/launches/${launchId}/tasks/${task.taskId}/waive`, { reason: 'not this time' });
  }

  /** Each operation with a body: how to make a state that allows it, and where to send it. */
  /** `exclusive`: the schema allows either of some fields, never all at once, so the "every field" sample is one to refuse. */
  const cases: Record<
    string,
    (body: Record<string, any>) => Promise<{ method: 'post' | 'patch' | 'put'; url: string; status: number; token?: string; exclusive?: boolean }>
  > = {
    'post /v1/principals': async () => ({ method: 'post', url: '/v1/principals', status: 201 }),
    'post /v1/launches': async () => ({ method: 'post', url: '/v1/launches', status: 201 }),
    'post /v1/launches/{launchId}/tasks': async () => ({ method: 'post', url: `/v1/launches/${(await launch()).launchId}/tasks`, status: 201 }),
    'patch /v1/launches/{launchId}/tasks/{taskId}': async () => {
      const { launchId, tasks } = await launch();
      return { method: 'patch', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/complete': async (body) => {
      const { launchId, tasks } = await launch();
      const kind =
        kindFields.get(
          Object.keys(body.details ?? {})
            .sort()
            .join(','),
        ) ?? 'generic';
      const task = tasks.find((candidate) => candidate.kind === kind && !candidate.dependsOn?.length);
      expect([kind, task]).toEqual([kind, expect.anything()]);
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${task!.taskId}/complete`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/block': async () => {
      const { launchId, tasks } = await launch();
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/block`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/unblock': async () => {
      const { launchId, tasks } = await launch();
      await command(`/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/block`, { reason: 'waiting' });
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/unblock`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/waive': async () => {
      const { launchId, tasks } = await launch();
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/waive`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/reopen': async () => {
      const { launchId, tasks } = await launch();
      await command(`/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/waive`, { reason: 'not needed' });
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/reopen`, status: 200 };
    },
    'post /v1/launches/{launchId}/tasks/{taskId}/comments': async () => {
      const { launchId, tasks } = await launch();
      return { method: 'post', url: `/v1/launches/${launchId}/tasks/${tasks[0]!.taskId}/comments`, status: 201 };
    },
    'patch /v1/launches/{launchId}': async () => ({ method: 'patch', url: `/v1/launches/${(await launch()).launchId}`, status: 200 }),
    'post /v1/launches/{launchId}/reschedule': async () => ({ method: 'post', url: `/v1/launches/${(await launch()).launchId}/reschedule`, status: 200 }),
    'post /v1/launches/{launchId}/decision': async () => {
      const { launchId, tasks } = await launch();
      await waiveAll(launchId, tasks);
      return { method: 'post', url: `/v1/launches/${launchId}/decision`, status: 200 };
    },
    'post /v1/launches/{launchId}/launched': async () => {
      const { launchId, tasks } = await launch();
      await waiveAll(launchId, tasks);
      await command(`/v1/launches/${launchId}/decision`, { decision: 'go' });
      return { method: 'post', url: `/v1/launches/${launchId}/launched`, status: 200 };
    },
    'post /v1/launches/{launchId}/cancel': async () => ({ method: 'post', url: `/v1/launches/${(await launch()).launchId}/cancel`, status: 200 }),
    // Only an admin names the department it votes for; a department votes as itself.
    'post /v1/launches/{launchId}/votes': async (body) => ({
      method: 'post',
      url: `/v1/launches/${(await launch()).launchId}/votes`,
      status: 200,
      token: body.department ? ADMIN_TOKEN : await t.principal('department', 'sales'),
    }),
    'post /v1/webhooks': async () => ({ method: 'post', url: '/v1/webhooks', status: 201 }),
    'put /v1/departments/{department}/settings': async () => ({ method: 'put', url: '/v1/departments/legal/settings', status: 200 }),
    // A department's feed or a launch's, never both.
    'post /v1/calendar-feeds': async () => ({ method: 'post', url: '/v1/calendar-feeds', status: 201, exclusive: true }),
    'post /v1/webhooks/{webhookId}/replay': async () => {
      const created = await t.http
        .post('/v1/webhooks')
        .set(admin)
        .send({ url: 'https://hooks.example.com/launch-control', secret: 'a-secret-of-sixteen-characters' })
        .expect(201);
      return { method: 'post', url: `/v1/webhooks/${created.body.id}/replay`, status: 202 };
    },
  };

  it('has a case for every operation that takes a body', () => {
    const withBodies = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.requestBody)
        .map(([method]) => `${method} ${path}`),
    );
    expect(withBodies.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.keys(cases))('%s accepts the sampled bodies', async (operation) => {
    const [method, path] = operation.split(' ') as [string, string];
    for (const [variant, body] of bodies(path, method)) {
      const target = await cases[operation]!(body);
      const answer = await t.http[target.method](target.url)
        .set(bearer(target.token ?? ADMIN_TOKEN))
        .send(body);
      const allowed = contract.requestProblems(method, path, body).length === 0;
      expect([variant, body, answer.status, answer.body]).toEqual([variant, body, allowed ? target.status : 400, expect.anything()]);
      if (variant === 'every field' && !target.exclusive) expect([variant, allowed]).toEqual([variant, true]);
    }
  });
});
