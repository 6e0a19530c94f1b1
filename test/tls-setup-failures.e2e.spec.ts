import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

// No server is needed: the connection cannot even be set up, because the CA file does not exist.
const SECRET = 'not-for-logs';

describe('EVENT_STORE_URL names a tlsCAFile that does not exist', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ EVENT_STORE_URL: `kurrentdb://admin:${SECRET}@127.0.0.1:1?tls=true&tlsCAFile=/nonexistent/ca.crt` });
  });
  afterAll(() => t?.close());

  it('the API starts; /health/ready is 503 with the reason, without credentials', async () => {
    await t.http.get('/health/live').expect(200);
    const response = await t.http.get('/health/ready').expect(503);
    expect(response.body.checks.eventStore.ok).toBe(false);
    expect(response.body.checks.eventStore.detail).toMatch(/cannot set up the connection: .*certificate file/i);
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  });

  it('a command is a 503 problem with Retry-After', async () => {
    const response = await t.http.post('/v1/launches').set(bearer(ADMIN_TOKEN)).send({ name: 'Aurora', product: 'Aurora', targetDate: '2030-03-01', tier: 2 });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  });
});

describe('MONGODB_URL names a tlsCAFile that does not exist', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      MONGODB_URL: `mongodb://reader:${SECRET}@127.0.0.1:1/launch?tls=true&tlsCAFile=/nonexistent/ca.crt&serverSelectionTimeoutMS=500`,
    });
  });
  afterAll(() => t?.close());

  it('the API starts; /health/ready is 503 with the reason, without credentials', async () => {
    await t.http.get('/health/live').expect(200);
    const response = await t.http.get('/health/ready').expect(503);
    expect(response.body.checks.readModels.ok).toBe(false);
    expect(response.body.checks.readModels.detail).toMatch(/nonexistent|ENOENT|certificate/i);
    expect(JSON.stringify(response.body)).not.toContain(SECRET);
  });
});
