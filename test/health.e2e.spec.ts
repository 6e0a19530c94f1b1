import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('health and docs (no token needed)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health/live', async () => {
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready once the stores answer and the projections run', async () => {
    const body = (await t.http.get('/health/ready').expect(200)).body;
    expect(body).toEqual({ status: 'ready', checks: { eventStore: { ok: true }, readModels: { ok: true }, projections: { ok: true } } });
  });

  it('GET /docs-json is an OpenAPI 3 document of the API', async () => {
    const body = (await t.http.get('/docs-json').expect(200)).body;
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/launches',
        '/v1/launches/{launchId}',
        '/v1/launches/{launchId}/tasks/{taskId}/complete',
        '/v1/principals',
        '/v1/departments/{department}/tasks',
      ]),
    );
  });

  it('GET /docs serves Swagger UI', async () => {
    const response = await t.http.get('/docs').redirects(1);
    expect(response.status).toBe(200);
    expect(response.text).toContain('swagger');
  });
});
