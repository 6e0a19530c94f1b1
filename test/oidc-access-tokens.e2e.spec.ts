import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { accessTokenFor, AUDIENCE, OidcTestProvider, signingKey, type SigningKey } from './support/oidc-test-provider.js';

jest.setTimeout(60_000);

const launch = { name: 'Aurora', product: 'Aurora Cloud', targetDate: '2031-05-01', tier: 3 };

describe("API clients present the identity provider's access tokens (OIDC_ISSUER)", () => {
  let provider: OidcTestProvider;
  let t: TestApp;
  let keyA: SigningKey;

  beforeAll(async () => {
    provider = await OidcTestProvider.start();
    keyA = await signingKey('key-a');
    // A short JWKS cache so that a key removed from the provider stops working within the test.
    t = await startTestApp(provider.env({ OIDC_JWKS_CACHE_MS: '1000' }));
    await t.app.listen(0, '127.0.0.1');
    provider.configure(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`, [keyA]);
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('lets a person signed in at the provider call the API, and the events name that person', async () => {
    const ada = await accessTokenFor(provider.issuer, 'ada');
    expect(ada.split('.')).toHaveLength(3);
    const me = await t.http.get('/v1/me').set(bearer(ada)).expect(200);
    expect(me.body).toMatchObject({
      id: 'oidc:ada',
      name: 'Ada Lovelace <ada@example.com>',
      role: 'launch-manager',
      department: null,
      signedInVia: 'access-token',
    });

    const created = await t.http.post('/v1/launches').set(bearer(ada)).send(launch).expect(201);
    const history = await t.http.get(`/v1/launches/${created.body.launchId}/history`).set(bearer(ada)).expect(200);
    expect(history.body.events[0].metadata.actor).toEqual({ id: 'oidc:ada', name: 'Ada Lovelace <ada@example.com>', role: 'launch-manager' });
  });

  it('takes the role and department from the configured claims, through OIDC_ROLE_MAP', async () => {
    const eve = await accessTokenFor(provider.issuer, 'eve');
    expect((await t.http.get('/v1/me').set(bearer(eve)).expect(200)).body).toMatchObject({ id: 'oidc:eve', role: 'department', department: 'engineering' });
    // A department member may not create launches.
    await t.http.post('/v1/launches').set(bearer(eve)).send(launch).expect(403);
    // Several mapped groups: the role that may do the most.
    const otto = await accessTokenFor(provider.issuer, 'otto');
    expect((await t.http.get('/v1/me').set(bearer(otto)).expect(200)).body.role).toBe('launch-manager');
  });

  it('refuses with 403 a valid token whose claims map to no role, or to a department that does not exist', async () => {
    const before = await t.headPosition();
    for (const login of ['nina', 'dora']) {
      const token = await accessTokenFor(provider.issuer, login);
      const refused = await t.http.post('/v1/launches').set(bearer(token)).send(launch).expect(403);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.detail).toMatch(login === 'nina' ? /no Launch Control role/ : /department/);
      await t.http.get('/v1/me').set(bearer(token)).expect(403);
    }
    expect(await t.headPosition()).toBe(before);
  });

  it('refuses expired, wrongly signed, wrong-audience and unknown-issuer tokens with 401, appending nothing', async () => {
    const impostor = await signingKey('key-a'); // the provider's kid, another key
    const stranger = await signingKey('key-stranger');
    const now = Math.floor(Date.now() / 1000);
    // The control: minted exactly like the refused ones, but right, is accepted.
    await t.http
      .get('/v1/me')
      .set(bearer(await provider.mint(keyA)))
      .expect(200);
    const cases: Array<[string, string, RegExp]> = [
      ['expired', await provider.mint(keyA, {}, { expiresIn: now - 120 }), /expired/],
      ["signed by another key under the provider's kid", await provider.mint(impostor), /signature/],
      ['signed by a key the provider never published', await provider.mint(stranger), /does not publish/],
      ['for another audience', await provider.mint(keyA, {}, { audience: 'https://another-api.example.com' }), /not meant for this API/],
      ['from an unknown issuer', await provider.mint(keyA, {}, { issuer: 'https://login.evil.example.com' }), /unknown issuer/],
      ['not valid before a future time', await provider.mint(keyA, { nbf: now + 600 }), /not valid yet/],
      ['unsigned (alg none)', unsigned({ iss: provider.issuer, aud: AUDIENCE, sub: 'ada', exp: now + 300, groups: ['lc-managers'] }), /./],
    ];
    const before = await t.headPosition();
    for (const [what, token, reason] of cases) {
      const refused = await t.http.post('/v1/launches').set(bearer(token)).send(launch);
      expect({ what, status: refused.status }).toEqual({ what, status: 401 });
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(refused.body.detail).toMatch(reason);
    }
    expect(await t.headPosition()).toBe(before);
  });

  it('follows key rotation: a new key works at once, a key taken out of the JWKS stops working', async () => {
    const beforeRotation = await provider.mint(keyA);
    await t.http.get('/v1/me').set(bearer(beforeRotation)).expect(200);

    const keyB = await signingKey('key-b');
    provider.configure(`http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`, [keyB]);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s cache and refetch cooldown

    // Signed with the new key: unknown kid, so the API fetches the JWKS again and accepts it.
    const issuedAfter = await accessTokenFor(provider.issuer, 'ada');
    await t.http.get('/v1/me').set(bearer(issuedAfter)).expect(200);
    await t.http
      .get('/v1/me')
      .set(bearer(await provider.mint(keyB)))
      .expect(200);
    // The rotated-out key: refused although the token has not expired.
    const refused = await t.http.get('/v1/me').set(bearer(beforeRotation)).expect(401);
    expect(refused.body.detail).toMatch(/does not publish/);
  });
});

describe('while the identity provider cannot be reached', () => {
  let provider: OidcTestProvider;
  let t: TestApp;
  beforeAll(async () => {
    // A provider that is configured but not answering: its port is open, every request gets 503.
    provider = await OidcTestProvider.start();
    t = await startTestApp(provider.env());
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('answers 503 with Retry-After (not 401: the token may be fine), and API tokens keep working', async () => {
    const token = await provider.mint(await signingKey('k'));
    const unavailable = await t.http.get('/v1/me').set(bearer(token)).expect(503);
    expect(Number(unavailable.headers['retry-after'])).toBeGreaterThan(0);
    expect(unavailable.body.detail).toMatch(/identity provider/);
    await t.http.post('/auth/sso/start').send({ redirectUri: 'http://127.0.0.1:3000/auth/callback' }).expect(503);
    const auditor = await t.principal('auditor');
    await t.http.get('/v1/me').set(bearer(auditor)).expect(200);
    await t.http.get('/health/ready').expect(200);
  });
});

describe('without OIDC_ISSUER', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('treats a JWT as an unknown token and offers no single sign-on', async () => {
    const key = await signingKey('k');
    const provider = await OidcTestProvider.start();
    try {
      await t.http
        .get('/v1/me')
        .set(bearer(await provider.mint(key)))
        .expect(401);
    } finally {
      await provider.close();
    }
    expect((await t.http.get('/auth/sso').expect(200)).body).toEqual({ enabled: false });
    await t.http.post('/auth/sso/start').send({ redirectUri: 'http://127.0.0.1:3000/auth/callback' }).expect(404);
  });
});

/** A JWT with `alg: none` and no signature (jose will not make one; a forger would). */
function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt' })}.${part(claims)}.`;
}
