import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

// Nothing listens on port 1: MongoDB is unreachable (connection refused), and server selection gives up after 500 ms.
const SECRET = 'not-for-logs';
const MONGODB_URL = `mongodb://reader:${SECRET}@127.0.0.1:1/launch?serverSelectionTimeoutMS=500`;
const SERVER = 'mongodb://127.0.0.1:1/launch?serverSelectionTimeoutMS=500';

describe('started against an unreachable MongoDB (MONGODB_URL set, server down)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ MONGODB_URL });
  });
  afterAll(() => t?.close());

  it('stays up: /health/live answers 200', async () => {
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('is not ready: /health/ready answers 503 naming the server (without credentials) and the reason', async () => {
    const response = await t.http.get('/health/ready').expect(503);

    expect(response.body.status).toBe('not-ready');
    expect(response.body.checks.eventStore).toEqual({ ok: true });
    expect(response.body.checks.readModels.ok).toBe(false);
    expect(response.body.checks.readModels.detail).toContain(`MongoDB at ${SERVER} is unreachable`);
    // the driver names the refused connection, or (on a busy machine) only the selection timeout
    expect(response.body.checks.readModels.detail).toMatch(/ECONNREFUSED|Server selection timed out/);
    expect(response.body.checks.principals).toMatchObject({ ok: false, detail: expect.stringMatching(/^bootstrap admin not created yet/) });
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  });

  it('answers a command with a 503 problem document and Retry-After, not a crash or a 500', async () => {
    const response = await t.http
      .post('/v1/launches')
      .set(bearer(ADMIN_TOKEN))
      .send({ name: 'Aurora 3.0', product: 'Aurora', targetDate: '2030-03-01', tier: 2 });

    expect(response.status).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.body).toMatchObject({ status: 503, detail: expect.stringContaining(`MongoDB at ${SERVER} is unreachable`) });
    expect(response.text).not.toContain(SECRET);
  });

  it('answers reads with a 503 problem document too, and keeps answering (no crash)', async () => {
    for (const path of ['/v1/launches', '/v1/departments/sales/tasks', '/v1/me']) {
      const response = await t.http.get(path).set(bearer(ADMIN_TOKEN));
      expect({ path, status: response.status }).toEqual({ path, status: 503 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('still refuses a request without a token with 401 (no store needed to say so)', async () => {
    await t.http.get('/v1/launches').expect(401);
  });
});
