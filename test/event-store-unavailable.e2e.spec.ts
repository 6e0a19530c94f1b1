import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

// Nothing listens on port 1: the KurrentDB server is unreachable (connection refused).
const SECRET = 'not-for-logs';
const EVENT_STORE_URL = `kurrentdb://admin:${SECRET}@127.0.0.1:1?tls=false`;
const SERVER = 'kurrentdb://127.0.0.1:1?tls=false';

describe('started against an unreachable KurrentDB (EVENT_STORE_URL set, server down)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ EVENT_STORE_URL });
  });
  afterAll(() => t?.close());

  it('stays up: /health/live answers 200', async () => {
    expect((await t.http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('is not ready: /health/ready answers 503 naming the server (without credentials) and the reason', async () => {
    const response = await t.http.get('/health/ready').expect(503);

    expect(response.body.status).toBe('not-ready');
    expect(response.body.checks.eventStore.ok).toBe(false);
    expect(response.body.checks.eventStore.detail).toContain(`KurrentDB at ${SERVER} is unavailable`);
    expect(response.body.checks.eventStore.detail).toMatch(/ECONNREFUSED|unavailable|no connection/i);
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
    expect(response.body).toMatchObject({ status: 503, title: expect.any(String) });
    expect(response.body.detail).toContain(`KurrentDB at ${SERVER} is unavailable`);
    expect(response.text).not.toContain(SECRET);
  });

  it('answers reads with a problem document, never a 500: the history (from the event store) is 503', async () => {
    const launchId = randomUUID();

    const launch = await t.http.get(`/v1/launches/${launchId}`).set(bearer(ADMIN_TOKEN));
    const history = await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(ADMIN_TOKEN));

    expect([404, 503]).toContain(launch.status);
    expect(launch.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(history.status).toBe(503);
    expect(history.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(history.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('still validates input first: a bad command is a 400, not a 503', async () => {
    const response = await t.http.post('/v1/launches').set(bearer(ADMIN_TOKEN)).send({ name: '' });

    expect(response.status).toBe(400);
  });
});
