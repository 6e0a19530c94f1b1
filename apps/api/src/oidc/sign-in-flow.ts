import * as client from 'openid-client';
import { Forbidden, type Actor } from '#launch';
import { ServiceUnavailable, Unauthenticated } from '../http/errors.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { actorFromClaims, claimAt, type Claims } from './claims-mapping.js';
import type { IdentityProvider } from './identity-provider.js';

/** What the browser keeps (in its tab's session storage) between leaving for the provider and coming back. */
export interface PendingSignIn {
  authorizationUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignInReturn {
  /** The URL the provider sent the browser back to (`…/auth/callback?code=…&state=…`). */
  callbackUrl: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * The dashboard's authorization code flow with PKCE, done by openid-client on the server: the
 * browser only carries the state, nonce and PKCE verifier from `start` to `finish`; the code is
 * exchanged here (with OIDC_CLIENT_SECRET for a confidential client), the ID token is validated
 * (signature, iss, aud, exp, nonce) by openid-client, and the person's claims become an actor.
 */
export class SignInFlow {
  constructor(
    private readonly provider: IdentityProvider,
    private readonly accessTokens: AccessTokenVerifier,
  ) {}

  get enabled(): boolean {
    return this.provider.settings.clientId !== undefined;
  }

  async start(redirectUri: string): Promise<PendingSignIn> {
    const configuration = await this.provider.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authorizationUrl = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.provider.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorizationUrl: authorizationUrl.href, state, nonce, codeVerifier };
  }

  /** The actor the provider vouches for; 401 when the provider refuses the code, 403 when the person has no role here. */
  async finish(back: SignInReturn): Promise<Actor> {
    const configuration = await this.provider.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        configuration,
        new URL(back.callbackUrl),
        { pkceCodeVerifier: back.codeVerifier, expectedState: back.state, expectedNonce: back.nonce, idTokenExpected: true },
        { redirect_uri: back.redirectUri },
      );
    } catch (error) {
      throw refused(error);
    }
    const idClaims = tokens.claims() as Claims;
    return actorFromClaims(await this.withRole(idClaims, tokens.access_token), this.provider.settings);
  }

  /**
   * Providers put roles in different tokens: the ID token's claims are used when they carry the role
   * claim; else the access token's (when it is a JWT for this API), else the userinfo endpoint's.
   */
  private async withRole(idClaims: Claims, accessToken: string): Promise<Claims> {
    const { roleClaim } = this.provider.settings;
    if (claimAt(idClaims, roleClaim) !== undefined) return idClaims;
    const fromAccessToken = await this.accessTokens.verify(accessToken).catch(() => undefined);
    if (fromAccessToken && fromAccessToken.sub === idClaims.sub && claimAt(fromAccessToken, roleClaim) !== undefined)
      return { ...idClaims, ...fromAccessToken };
    const configuration = await this.provider.configuration();
    if (!configuration.serverMetadata().userinfo_endpoint) return idClaims;
    try {
      return { ...idClaims, ...(await client.fetchUserInfo(configuration, accessToken, String(idClaims.sub))) };
    } catch {
      return idClaims;
    }
  }

  /** Where the browser ends the provider's own session (RP-initiated logout), if the provider supports it. */
  async logoutUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    const configuration = await this.provider.configuration();
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(configuration, { client_id: configuration.clientMetadata().client_id, post_logout_redirect_uri: postLogoutRedirectUri })
      .href;
  }
}

function refused(error: unknown): Error {
  if (error instanceof Forbidden || error instanceof ServiceUnavailable) return error;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  if (error instanceof Error && /fetch failed|ECONNREFUSED|ECONNRESET|timed? ?out|aborted/i.test(`${error.message} ${cause}`)) {
    return new ServiceUnavailable('the identity provider cannot be reached to complete the sign-in', 2);
  }
  const described =
    error instanceof client.ResponseBodyError
      ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
      : error instanceof Error
        ? error.message
        : 'unknown error';
  return new Unauthenticated(`the identity provider did not confirm the sign-in (${described.slice(0, 200)})`);
}
