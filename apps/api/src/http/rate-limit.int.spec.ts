import { afterEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { parseRateLimit } from './rate-limit.js';

describe('rate limiting', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const expectTooMany = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, windowSeconds: number) => {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.any(String) });
    const retryAfter = Number(response.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= windowSeconds).toBe(true);
  };

  it('answers 429 with Retry-After once a principal exceeds its limit, appends nothing, and leaves other principals alone', async () => {
    t = await startTestApp({ RATE_LIMIT: '4/30s' });
    const manager = await t.principal('launch-manager'); // admin: 1 request
    const other = await t.principal('launch-manager', undefined, 'other'); // admin: 2
    for (let i = 0; i < 4; i++) await t.http.get('/v1/me').set(bearer(manager)).expect(200);
    const before = await t.headPosition();

    const refused = await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'N', product: 'P', targetDate: '2030-01-01', tier: 3 });

    expectTooMany(refused, 30);
    expect(await t.headPosition()).toBe(before);
    await t.http.get('/v1/me').set(bearer(other)).expect(200);
    await t.http.get('/v1/me').set(bearer(ADMIN_TOKEN)).expect(200);
  });

  it('lets a principal in again once its window is over', async () => {
    t = await startTestApp({ RATE_LIMIT: '2/1s' });
    const manager = await t.principal('launch-manager');
    await t.http.get('/v1/me').set(bearer(manager)).expect(200);
    await t.http.get('/v1/me').set(bearer(manager)).expect(200);
    expectTooMany(await t.http.get('/v1/me').set(bearer(manager)), 1);
    await sleep(1100);
    await t.http.get('/v1/me').set(bearer(manager)).expect(200);
  });

  it('limits requests without a token per client address', async () => {
    t = await startTestApp({ RATE_LIMIT: '3/30s' });
    for (let i = 0; i < 3; i++) await t.http.get('/health/live').expect(200);
    expectTooMany(await t.http.get('/health/live'), 30);
  });

  it('limits an address that keeps failing authentication, whatever tokens it tries', async () => {
    t = await startTestApp({ RATE_LIMIT: '100/30s', RATE_LIMIT_FAILED_AUTH: '3' });
    for (let i = 0; i < 3; i++)
      await t.http
        .get('/v1/me')
        .set(bearer(`lc_guess-${i}`))
        .expect(401);
    expectTooMany(await t.http.get('/v1/me').set(bearer('lc_guess-next')), 30);
    expectTooMany(await t.http.get('/v1/me'), 30);
  });

  it('still lets a valid token through from an address locked out by guessing, and leaves public routes open', async () => {
    t = await startTestApp({ RATE_LIMIT: '1000/30s', RATE_LIMIT_FAILED_AUTH: '20' });
    const manager = await t.principal('launch-manager');
    const revoked = await t.principal('auditor');
    const revokedId = (await t.http.get('/v1/me').set(bearer(revoked)).expect(200)).body.id;
    await t.http.delete(`/v1/principals/${revokedId}`).set(bearer(ADMIN_TOKEN)).expect(204);
    const guesses = await Promise.all(Array.from({ length: 100 }, (_, i) => t!.http.get('/v1/me').set(bearer(`lc_guess-${i}`))));
    expect(guesses.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(20);
    expect(guesses.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expectTooMany(await t.http.get('/v1/me').set(bearer('lc_guess-again')), 30);
    expectTooMany(await t.http.get('/v1/me').set(bearer(revoked)), 30);

    expect((await t.http.get('/v1/me').set(bearer(manager)).expect(200)).body.role).toBe('launch-manager');
    await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'N', product: 'P', targetDate: '2030-01-01', tier: 3 }).expect(201);
    await t.http.get('/health/live').expect(200);
  });

  it('behind a trusted proxy, locks out the guessing client, not everyone behind the proxy', async () => {
    t = await startTestApp({ RATE_LIMIT: '1000/30s', RATE_LIMIT_FAILED_AUTH: '3', TRUST_PROXY: 'loopback' });
    const from = (address: string) => ({ 'X-Forwarded-For': address });
    for (let i = 0; i < 3; i++)
      await t.http
        .get('/v1/me')
        .set(from('203.0.113.7'))
        .set(bearer(`lc_guess-${i}`))
        .expect(401);
    expectTooMany(await t.http.get('/v1/me').set(from('203.0.113.7')).set(bearer('lc_guess-next')), 30);
    await t.http.get('/v1/me').set(from('198.51.100.2')).set(bearer('lc_typo')).expect(401);
  });

  it('without TRUST_PROXY, ignores X-Forwarded-For, so a client cannot escape its lockout by forging it', async () => {
    t = await startTestApp({ RATE_LIMIT: '1000/30s', RATE_LIMIT_FAILED_AUTH: '3' });
    for (let i = 0; i < 3; i++)
      await t.http
        .get('/v1/me')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .set(bearer(`lc_guess-${i}`))
        .expect(401);
    expectTooMany(await t.http.get('/v1/me').set('X-Forwarded-For', '198.51.100.9').set(bearer('lc_guess-next')), 30);
  });

  it('is on by default (600 requests per 10 s per principal) and off with RATE_LIMIT=0', () => {
    expect(parseRateLimit(undefined, undefined)).toEqual({ requests: 3000, windowMs: 10_000, failedAuthRequests: 1000 });
    expect(parseRateLimit('50/2s', '7')).toEqual({ requests: 50, windowMs: 2000, failedAuthRequests: 7 });
    expect(parseRateLimit('0', undefined)).toBeUndefined();
    expect(() => parseRateLimit('lots', undefined)).toThrow(/RATE_LIMIT/);
  });
});
