import { afterEach, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { API_CSP, HTML_CSP, parseCorsOrigins } from './security-headers.js';

describe('security headers and CORS', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('every API answer, success or problem, forbids sniffing, framing, referrers and caching, under a CSP that allows nothing', async () => {
    t = await startTestApp();
    for (const response of [
      await t.http.get('/v1/me').set(bearer(ADMIN_TOKEN)).expect(200),
      await t.http.get('/v1/me').expect(401),
      await t.http.post('/v1/launches').set(bearer(ADMIN_TOKEN)).send({ tier: 'x' }).expect(400),
      await t.http.get('/health/ready').expect(200),
    ]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'content-security-policy': API_CSP,
        'cache-control': 'no-store',
      });
    }
  });

  it('HTML pages get a CSP that allows only self-hosted scripts and styles and forbids framing', async () => {
    t = await startTestApp();
    const docs = await t.http.get('/docs').redirects(1);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(docs.headers['content-security-policy']).toBe(HTML_CSP);
    expect(HTML_CSP).toMatch(/script-src 'self';/);
    expect(HTML_CSP).toMatch(/frame-ancestors 'none'/);
    expect(docs.headers['x-frame-options']).toBe('DENY');
  });

  it('CORS is off by default: no Access-Control-Allow-Origin, not even on a preflight', async () => {
    t = await startTestApp();
    const simple = await t.http.get('/v1/me').set(bearer(ADMIN_TOKEN)).set('Origin', 'https://evil.example.com');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http.options('/v1/launches').set('Origin', 'https://evil.example.com').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('CORS_ORIGINS allows exactly the listed origins', async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await t.http.get('/v1/me').set(bearer(ADMIN_TOKEN)).set('Origin', 'https://app.example.com').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-expose-headers']).toMatch(/ETag/);
    const preflight = await t.http.options('/v1/launches').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST').expect(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    const other = await t.http.get('/v1/me').set(bearer(ADMIN_TOKEN)).set('Origin', 'https://evil.example.com').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CORS_ORIGINS takes exact origins only', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('https://a.example.com, http://localhost:5173')).toEqual(['https://a.example.com', 'http://localhost:5173']);
    expect(() => parseCorsOrigins('*')).toThrow(/CORS_ORIGINS/);
    expect(() => parseCorsOrigins('https://a.example.com/path')).toThrow(/CORS_ORIGINS/);
  });
});
