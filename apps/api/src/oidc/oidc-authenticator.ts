import type { Actor } from '#launch';
import { randomBytes } from 'node:crypto';
import { Unauthenticated } from '../http/errors.js';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/tokens.js';
import type { AccessTokenVerifier } from './access-token-verifier.js';
import { actorFromClaims } from './claims-mapping.js';
import type { OidcConfig } from './oidc-config.js';
import type { SessionStore } from './session-store.js';

/** Dashboard session tokens: told apart from API tokens (`lc_`) and JWTs by their prefix. */
export const SESSION_TOKEN_PREFIX = 'lcs_';

export const OIDC_AUTHENTICATOR = Symbol('OIDC_AUTHENTICATOR');

/**
 * The people single sign-on lets in: dashboard sessions (opaque `lcs_` tokens, stored hashed) and
 * the provider's access tokens (JWTs). Without OIDC_ISSUER both are refused as unknown tokens.
 */
export class OidcAuthenticator {
  constructor(
    private readonly settings: OidcConfig | undefined,
    private readonly sessions: SessionStore | undefined,
    private readonly accessTokens: AccessTokenVerifier | undefined,
  ) {}

  get accessTokensAccepted(): boolean {
    return this.accessTokens !== undefined;
  }

  async accessTokenPrincipal(token: string): Promise<Principal> {
    if (!this.accessTokens || !this.settings) throw new Unauthenticated('unknown token');
    const claims = await this.accessTokens.verify(token);
    const actor = actorFromClaims(claims, this.settings);
    const at = (seconds: number | undefined) => new Date((seconds ?? Date.now() / 1000) * 1000).toISOString();
    return { ...actor, createdAt: at(claims.iat), via: 'access-token', expiresAt: at(claims.exp) };
  }

  /** Opens a session for the actor; the token is shown once, to the browser that signed in. */
  async openSession(actor: Actor, now = new Date()): Promise<{ token: string; principal: Principal }> {
    if (!this.sessions || !this.settings) throw new Unauthenticated('single sign-on is not configured');
    const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + this.settings.sessionTtlMs).toISOString();
    await this.sessions.add({ tokenHash: hashToken(token), actor, createdAt: now.toISOString(), expiresAt });
    return { token, principal: { ...actor, createdAt: now.toISOString(), via: 'session', expiresAt } };
  }

  async sessionPrincipal(token: string): Promise<Principal> {
    const tokenHash = hashToken(token);
    const session = await this.sessions?.find(tokenHash, new Date());
    if (!session) throw new Unauthenticated('this session has ended or expired; sign in again');
    return { ...session.actor, createdAt: session.createdAt, via: 'session', expiresAt: session.expiresAt, sessionHash: tokenHash };
  }

  async endSession(principal: Principal): Promise<void> {
    if (principal.sessionHash) await this.sessions?.end(principal.sessionHash);
  }

  /** Whether a session (not signed out, not expired) or an access token (not expired) still lets its holder in. */
  async stillAllowed(principal: Principal, now = new Date()): Promise<boolean> {
    if (principal.expiresAt && Date.parse(principal.expiresAt) <= now.getTime()) return false;
    if (principal.via === 'session' && principal.sessionHash) return (await this.sessions?.find(principal.sessionHash, now)) != null;
    return true;
  }

  async close(): Promise<void> {
    await this.sessions?.close();
  }
}
