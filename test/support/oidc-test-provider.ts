import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import * as client from 'openid-client';
import Provider from 'oidc-provider';

/** The audience access tokens for the Launch Control API carry (OIDC_AUDIENCE). */
export const AUDIENCE = 'https://launch-control.test/api';
export const DASHBOARD_CLIENT = { id: 'launch-control-dashboard', secret: 'dashboard-secret-0123456789abcdefghijklmnop' };
/** A command-line tool of the company: a public client that gets access tokens for the API. */
export const CLI_CLIENT = { id: 'launch-cli', redirectUri: 'http://127.0.0.1:1/cli-callback' };
export const ROLE_MAP = 'lc-admins=admin,lc-managers=launch-manager,lc-departments=department,lc-audit=auditor';

/** The company's people, as the provider knows them (login = sub). */
export const PEOPLE: Record<string, Record<string, unknown>> = {
  ada: { name: 'Ada Lovelace', email: 'ada@example.com', groups: ['staff', 'lc-managers'] },
  eve: { name: 'Eve Engineer', email: 'eve@example.com', groups: ['lc-departments'], department: 'engineering' },
  otto: { name: 'Otto Auditor', email: 'otto@example.com', groups: ['lc-audit', 'lc-managers'] },
  nina: { name: 'Nina Nobody', email: 'nina@example.com', groups: ['staff'] },
  dora: { name: 'Dora Nowhere', email: 'dora@example.com', groups: ['lc-departments'], department: 'catering' },
};

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/**
 * A real OpenID provider (oidc-provider) on 127.0.0.1, on a random port: the dashboard's confidential
 * client, a public CLI client, the people above (any password), access tokens for AUDIENCE as
 * RS256 JWTs carrying the person's groups and department. `rotateKeys` replaces its signing keys
 * while it keeps its address.
 */
export class OidcTestProvider {
  private handler: (request: IncomingMessage, response: ServerResponse) => void = (_q, r) => r.writeHead(503).end();

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
  ) {}

  static async start(): Promise<OidcTestProvider> {
    let provider: OidcTestProvider | undefined;
    const server = createServer((request, response) => provider!.handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    provider = new OidcTestProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return provider;
  }

  /** (Re)configures the provider: the dashboard's address (its callback) and the keys it signs with (the first) and publishes. */
  configure(dashboardBaseUrl: string, keys: SigningKey[]): void {
    const claimsOf = (id: string) => ({ sub: id, ...PEOPLE[id] });
    const provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: DASHBOARD_CLIENT.id,
          client_secret: DASHBOARD_CLIENT.secret,
          redirect_uris: [`${dashboardBaseUrl}/auth/callback`],
          post_logout_redirect_uris: [`${dashboardBaseUrl}/`],
          token_endpoint_auth_method: 'client_secret_post',
        },
        { client_id: CLI_CLIENT.id, redirect_uris: [CLI_CLIENT.redirectUri], token_endpoint_auth_method: 'none' },
      ],
      jwks: { keys: keys.map((k) => k.privateJwk) },
      cookies: { keys: ['launch-control-test-cookie-key'] },
      findAccount: (_ctx: unknown, id: string) => (PEOPLE[id] ? { accountId: id, claims: async () => claimsOf(id) } : undefined),
      claims: { openid: ['sub'], profile: ['name'], email: ['email'], 'launch-control': ['groups', 'department'] },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, indicator: string) => {
            if (indicator !== AUDIENCE) throw new Error(`unknown resource ${indicator}`);
            return { scope: 'launches', audience: AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'RS256' } } };
          },
        },
      },
      extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => {
        const person = token.accountId ? PEOPLE[token.accountId] : undefined;
        return person && { name: person.name, email: person.email, groups: person.groups, department: person.department };
      },
    });
    this.handler = provider.callback();
  }

  /** The environment that points Launch Control at this provider. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      OIDC_ISSUER: this.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_CLIENT_ID: DASHBOARD_CLIENT.id,
      OIDC_CLIENT_SECRET: DASHBOARD_CLIENT.secret,
      OIDC_SCOPES: 'openid profile email launch-control',
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: ROLE_MAP,
      ...extra,
    };
  }

  /** A JWT shaped like the provider's access tokens, signed with `key` (refusal cases vary one thing). */
  mint(
    key: SigningKey,
    claims: Record<string, unknown> = {},
    options: { expiresIn?: string | number; issuer?: string; audience?: string; kid?: string } = {},
  ): Promise<string> {
    const person = PEOPLE.ada;
    return new SignJWT({ name: person.name, email: person.email, groups: person.groups, client_id: CLI_CLIENT.id, scope: 'launches', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: options.kid ?? key.kid })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setSubject(String(claims.sub ?? 'ada'))
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Walks the provider's own sign-in pages the way a browser would (login form, then consent),
 * following redirects with the provider's cookies, until it sends the user agent to `redirectUri`;
 * returns that address (with the code and state). `login` is the person (any password works).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, redirectUri: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) },
      body,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.href.startsWith(redirectUri)) return url;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!action) throw new Error(`the provider answered ${response.status} without a form: ${page.slice(0, 300)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1];
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt: prompt ?? 'consent' });
    url = new URL(action.replace(/&amp;/g, '&'), url);
  }
  throw new Error('the provider did not send the user agent back');
}

/** An access token for the API, got the way the CLI would: authorization code with PKCE, as `login`. */
export async function accessTokenFor(issuer: string, login: string): Promise<string> {
  const configuration = await client.discovery(new URL(issuer), CLI_CLIENT.id, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: CLI_CLIENT.redirectUri,
    scope: 'openid launches',
    resource: AUDIENCE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
  });
  const callback = await signInAtProvider(authorizationUrl.href, login, CLI_CLIENT.redirectUri);
  const tokens = await client.authorizationCodeGrant(
    configuration,
    callback,
    { pkceCodeVerifier: codeVerifier, expectedState: state },
    { redirect_uri: CLI_CLIENT.redirectUri },
  );
  return tokens.access_token;
}
