import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';
import { accessTokenFor, OidcTestProvider, signingKey, signInAtProvider } from './support/oidc-test-provider.js';

jest.setTimeout(60_000);

interface Started {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

describe('dashboard sessions made by single sign-on (authorization code + PKCE at /auth/*)', () => {
  let provider: OidcTestProvider;
  let t: TestApp;
  let base: string;
  let redirectUri: string;
  /** A second API process on the same DATA_DIR. */
  let other: NestFastifyApplication;

  beforeAll(async () => {
    provider = await OidcTestProvider.start();
    t = await startTestApp(provider.env());
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    redirectUri = `${base}/auth/callback`;
    provider.configure(base, [await signingKey('key-1')]);
    other = await createApp({ config: loadConfig({ DATA_DIR: t.dataDir, ADMIN_TOKEN, ...provider.env() }), logger: false });
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
    await provider?.close();
  });

  const start = async (): Promise<Started> => (await t.http.post('/auth/sso/start').send({ redirectUri }).expect(200)).body;
  const signIn = async (login: string) => {
    const started = await start();
    const callback = await signInAtProvider(started.authorizationUrl, login, redirectUri);
    const finish = { redirectUri, callbackUrl: callback.href, state: started.state, nonce: started.nonce, codeVerifier: started.codeVerifier };
    return { started, callback, finish, answer: await t.http.post('/auth/sso/session').send(finish) };
  };

  it('starts at the provider with PKCE (S256), a state and a nonce, never with a secret', async () => {
    expect((await t.http.get('/auth/sso').expect(200)).body).toEqual({ enabled: true });
    const started = await start();
    const url = new URL(started.authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('code_challenge')).not.toBe(started.codeVerifier);
    expect(url.searchParams.get('state')).toBe(started.state);
    expect(url.searchParams.get('nonce')).toBe(started.nonce);
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(started.authorizationUrl).not.toContain('dashboard-secret');
    await t.http.post('/auth/sso/start').send({ redirectUri: 'https://evil.example.com/steal' }).expect(400);
  });

  it('exchanges the code for a session token that names the person, in every process on the DATA_DIR, until sign-out', async () => {
    const { answer, finish } = await signIn('ada');
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { token, principal, expiresAt } = answer.body as { token: string; principal: Record<string, unknown>; expiresAt: string };
    expect(token).toMatch(/^lcs_[A-Za-z0-9_-]{43}$/);
    expect(principal).toMatchObject({ id: 'oidc:ada', name: 'Ada Lovelace <ada@example.com>', role: 'launch-manager', signedInVia: 'session' });
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(3_500_000); // OIDC_SESSION_TTL_MS default: 1 h

    await t.http.get('/v1/me').set(bearer(token)).expect(200);
    const elsewhere = request(other.getHttpServer());
    expect((await elsewhere.get('/v1/me').set(bearer(token)).expect(200)).body.id).toBe('oidc:ada');
    const created = await elsewhere
      .post('/v1/launches')
      .set(bearer(token))
      .send({ name: 'Via SSO', product: 'P', targetDate: '2031-06-01', tier: 3 })
      .expect(201);
    const history = await t.http.get(`/v1/launches/${created.body.launchId}/history`).set(bearer(token)).expect(200);
    expect(history.body.events[0].metadata.actor).toEqual({ id: 'oidc:ada', name: 'Ada Lovelace <ada@example.com>', role: 'launch-manager' });

    // The code was used once; a replay gets nothing.
    await t.http.post('/auth/sso/session').send(finish).expect(401);

    const signedOut = await elsewhere
      .post('/auth/sign-out')
      .set(bearer(token))
      .send({ postLogoutRedirectUri: `${base}/` })
      .expect(200);
    expect(signedOut.body.signedOut).toBe(true);
    expect(new URL(signedOut.body.logoutUrl).origin).toBe(provider.issuer);
    const refused = await t.http.get('/v1/me').set(bearer(token)).expect(401);
    expect(refused.body.detail).toMatch(/session has ended/);
  });

  it('refuses a return whose state or PKCE verifier is not the one the sign-in started with', async () => {
    const started = await start();
    const callback = await signInAtProvider(started.authorizationUrl, 'ada', redirectUri);
    const finish = { redirectUri, callbackUrl: callback.href, state: started.state, nonce: started.nonce, codeVerifier: started.codeVerifier };
    await t.http
      .post('/auth/sso/session')
      .send({ ...finish, state: 'another-state' })
      .expect(401);
    await t.http
      .post('/auth/sso/session')
      .send({ ...finish, codeVerifier: 'x'.repeat(43) })
      .expect(401);
    await t.http
      .post('/auth/sso/session')
      .send({ ...finish, callbackUrl: 'https://evil.example.com/auth/callback?code=1' })
      .expect(400);
    await t.http
      .post('/auth/sso/session')
      .send({ ...finish, extra: true })
      .expect(400);
  });

  it('signs in nobody whose claims give no role (403) and opens no session for them', async () => {
    const { answer } = await signIn('nina');
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toMatch(/no Launch Control role/);
    expect(answer.body.token).toBeUndefined();
  });

  it('keeps API tokens working, and signs out only sessions', async () => {
    const auditor = await t.principal('auditor');
    await t.http.get('/v1/me').set(bearer(auditor)).expect(200);
    await t.http.post('/auth/sign-out').set(bearer(auditor)).send({}).expect(400);
    await t.http.post('/auth/sign-out').send({}).expect(401);
    await t.http.get('/v1/me').set(bearer('lcs_not-a-session-at-all')).expect(401);
  });

  it("ends a session's live streams within a second of sign-out; an access token's stream stays open", async () => {
    const { answer } = await signIn('ada');
    const session = answer.body.token as string;
    const created = await t.http.post('/v1/launches').set(bearer(session)).send({ name: 'Live', product: 'P', targetDate: '2031-07-01', tier: 3 }).expect(201);
    const launchId = created.body.launchId as string;
    await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(session)).expect(200);
    const accessToken = await accessTokenFor(provider.issuer, 'otto');
    const keep = new AbortController();
    try {
      const sessionStream = await fetch(`${base}/v1/launches/${launchId}/stream`, { headers: bearer(session) });
      const tokenStream = await fetch(`${base}/v1/launches/${launchId}/stream`, { headers: bearer(accessToken), signal: keep.signal });
      expect([sessionStream.status, tokenStream.status]).toEqual([200, 200]);
      const tokenStreamEnded = streamEnds(tokenStream);
      // Past two access checks: neither kind of principal is in the principal store, both stay.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const sessionStreamEnded = streamEnds(sessionStream);
      await t.http.post('/auth/sign-out').set(bearer(session)).send({}).expect(200);
      const signedOutAt = Date.now();
      expect(await Promise.race([sessionStreamEnded, sleep(3000).then(() => -1)])).toBeGreaterThan(0);
      expect(Date.now() - signedOutAt).toBeLessThan(1600);
      expect(await Promise.race([tokenStreamEnded, sleep(100).then(() => -1)])).toBe(-1);
    } finally {
      keep.abort();
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the time the stream's body ended. */
async function streamEnds(response: Response): Promise<number> {
  const reader = response.body!.getReader();
  try {
    while (!(await reader.read()).done);
  } catch {
    return -2; // aborted by the test
  }
  return Date.now();
}

describe('single sign-on settings', () => {
  it('refuse to start without an audience, with a role map that names no role, or with a plain-http issuer', () => {
    const issuer = 'https://login.example.com';
    expect(() => loadConfig({ OIDC_ISSUER: issuer })).toThrow(/OIDC_AUDIENCE is required/);
    expect(() => loadConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'api', OIDC_ROLE_MAP: 'staff=boss' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => loadConfig({ OIDC_ISSUER: 'http://login.example.com', OIDC_AUDIENCE: 'api' })).toThrow(/https/);
    expect(loadConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: 'api', OIDC_ROLE_MAP: 'LC Managers=launch-manager, audit=auditor' }).oidc?.roleMap).toEqual(
      new Map([
        ['LC Managers', 'launch-manager'],
        ['audit', 'auditor'],
      ]),
    );
    expect(loadConfig({}).oidc).toBeUndefined();
  });
});
