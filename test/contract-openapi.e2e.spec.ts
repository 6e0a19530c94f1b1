import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { takeNonconforming } from './support/conformance-recorder.js';
import { OpenApiConformance, type RecordedAnswer } from './support/openapi-conformance.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

/** The served document itself: complete, precise, and checked by an independent validator. */
describe('the OpenAPI document at /docs-json', () => {
  let t: TestApp;
  let document: any;
  let contract: OpenApiConformance;

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body;
    contract = new OpenApiConformance(document);
  });
  afterAll(() => t?.close());

  const operations = () =>
    Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  it('declares a schema for every answer, problem+json for every error, and an example for every request body', () => {
    expect(operations().length).toBeGreaterThanOrEqual(39);
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (status === '204' || status === '304' || status === '408') expect([where, status, response.content]).toEqual([where, status, undefined]);
        else if (Number(status) >= 400 && !(path === '/health/ready' && status === '503'))
          expect([where, status, Object.keys(response.content)]).toEqual([where, status, ['application/problem+json']]);
        else expect([where, status, Object.keys(response.content ?? {}).length > 0]).toEqual([where, status, true]);
      }
      // Public operations (health, a calendar feed's secret URL) need no token, so they never answer 401.
      const needsToken = !(op.security ?? []).every((requirement: Record<string, unknown>) => Object.keys(requirement).length === 0);
      expect([where, Object.keys(op.responses).some((s) => s === '401')]).toEqual([where, needsToken]);
      if (op.requestBody) expect([where, Object.keys(op.requestBody.content['application/json'].examples ?? {}).length]).toEqual([where, 1]);
    }
  });

  it('documents the served-but-once-undocumented endpoints', () => {
    expect(document.paths['/v1/principals/{principalId}'].get.responses['200']).toBeDefined();
    expect(document.paths['/v1/launches/{launchId}/tasks/{taskId}'].get.responses['200']).toBeDefined();
  });

  it('has an opaque bearer scheme, public health probes and servers', () => {
    expect(document.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(document.components.securitySchemes.bearer.bearerFormat).toBeUndefined();
    expect(document.paths['/health/ready'].get.security).toEqual([]);
    expect(document.paths['/health/live'].get.security).toEqual([]);
    expect(document.paths['/v1/launches'].post.security).toEqual([{ bearer: [] }]);
    expect(document.servers.length).toBeGreaterThan(0);
  });

  it('types completion details per kind, and tasks as a union discriminated by kind', () => {
    const details = document.components.schemas.CompleteTaskRequest.properties.details.oneOf.map((s: any) => s.$ref);
    expect(details).toContain('#/components/schemas/SalesTrainingDetails');
    expect(document.components.schemas.SalesTrainingDetails).toEqual(
      expect.objectContaining({ required: ['sessionDate', 'repsTrained', 'repsTotal'], additionalProperties: false }),
    );
    expect(document.components.schemas.Launch.properties.tasks.items.discriminator.propertyName).toBe('kind');
  });

  it('refuses answers that differ from it (the validator can fail)', async () => {
    const created = await t.http.post('/v1/launches').set(bearer(ADMIN_TOKEN)).send({ name: 'A', product: 'B', targetDate: '2027-03-01', tier: 3 }).expect(201);
    const answer: RecordedAnswer = {
      method: 'POST',
      route: '/v1/launches',
      url: '/v1/launches',
      status: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', etag: created.headers.etag, location: created.headers.location },
      body: JSON.stringify(created.body),
    };
    expect(contract.check(answer)).toEqual([]);
    expect(contract.check({ ...answer, body: JSON.stringify({ ...created.body, extra: 1 }) })).toHaveLength(1);
    expect(contract.check({ ...answer, body: JSON.stringify({ ...created.body, revision: -1 }) })).toHaveLength(1);
    expect(contract.check({ ...answer, status: 418 })).toHaveLength(1);
    expect(contract.check({ ...answer, headers: { ...answer.headers, 'content-type': 'text/plain' } })).toHaveLength(1);
    expect(contract.check({ ...answer, headers: { ...answer.headers, etag: 'seven' } })).toHaveLength(1);
    expect(contract.check({ ...answer, route: undefined, status: 404 })).toHaveLength(1);
  });

  it('also checks answers fetched from API processes (a server answering off-contract is caught)', async () => {
    const offContract = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'not-a-uuid', name: 'x' }));
    });
    await new Promise<void>((resolve) => offContract.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = offContract.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/v1/me`)).status).toBe(200);
      const problems = await takeNonconforming();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/GET \/v1\/me → 200/);
    } finally {
      await new Promise((resolve) => offContract.close(resolve));
    }
  });
});
