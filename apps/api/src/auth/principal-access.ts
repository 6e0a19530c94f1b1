import { Inject, Injectable } from '@nestjs/common';
import { OIDC_AUTHENTICATOR, type OidcAuthenticator } from '../oidc/oidc-authenticator.js';
import { PRINCIPAL_STORE, type Principal, type PrincipalStore } from './principal.js';

/**
 * Whether a caller authenticated earlier (an open live stream) may still be served: an API token's
 * principal while it is unrevoked, a dashboard session until it is signed out or expires, an
 * access token until its `exp`. Every answer comes from the shared stores, so any process's
 * revocation or sign-out counts.
 */
@Injectable()
export class PrincipalAccess {
  constructor(
    @Inject(PRINCIPAL_STORE) private readonly principals: PrincipalStore,
    @Inject(OIDC_AUTHENTICATOR) private readonly oidc: OidcAuthenticator,
  ) {}

  /** What identifies the credential for a cache of checks: the session for a session, else the principal. */
  key(principal: Principal): string {
    return principal.sessionHash ? `session:${principal.sessionHash}` : principal.id;
  }

  async stillAllowed(principal: Principal): Promise<boolean> {
    if (principal.via) return this.oidc.stillAllowed(principal);
    const stored = await this.principals.get(principal.id);
    return stored !== null && !stored.revokedAt;
  }
}
