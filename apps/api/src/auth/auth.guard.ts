import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Forbidden, type Role } from '#launch';
import type { FastifyRequest } from 'fastify';
import { Unauthenticated } from '../http/errors.js';
import { looksLikeJwt } from '../oidc/access-token-verifier.js';
import { OIDC_AUTHENTICATOR, SESSION_TOKEN_PREFIX, type OidcAuthenticator } from '../oidc/oidc-authenticator.js';
import { authLockedOut, authLockoutOf } from '../http/rate-limit.js';
import { IS_PUBLIC, ROLES, type AuthenticatedRequest } from './auth.decorators.js';
import { PRINCIPAL_STORE, type Principal, type PrincipalStore } from './principal.js';
import { hashToken, sameHash } from './tokens.js';

/** Long enough for a provider's JWT access token (RS256 with a few claims is about 1 KB). */
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,8192})$/;

/**
 * Every route needs a valid, unrevoked bearer token unless marked @Public(); @Roles narrows who may
 * call it. From an address locked out for failed authentication, a refused token is 429, not 401.
 * Three kinds of bearer token, told apart by their shape: a dashboard session (`lcs_…`, made by
 * single sign-on), the identity provider's access token (a JWT, when OIDC_ISSUER is set), and
 * anything else is an API token (`lc_…`, or the ADMIN_TOKEN) looked up by its hash.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(PRINCIPAL_STORE) private readonly principals: PrincipalStore,
    @Inject(OIDC_AUTHENTICATOR) private readonly oidc: OidcAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & Partial<AuthenticatedRequest>>();
    try {
      request.principal = await this.authenticate(request);
    } catch (error) {
      const lockout = error instanceof Unauthenticated ? authLockoutOf(request) : undefined;
      throw lockout === undefined ? error : authLockedOut(lockout);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(request.principal.role)) {
      throw new Forbidden(`this needs the role ${roles.join(' or ')}; the caller is ${request.principal.role}`);
    }
    return true;
  }

  private async authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) throw new Unauthenticated('missing Authorization: Bearer <token>');
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) throw new Unauthenticated('the Authorization header must be "Bearer <token>"');
    if (token.startsWith(SESSION_TOKEN_PREFIX)) return this.oidc.sessionPrincipal(token);
    if (this.oidc.accessTokensAccepted && looksLikeJwt(token)) return this.oidc.accessTokenPrincipal(token);
    const tokenHash = hashToken(token);
    const principal = await this.principals.findByTokenHash(tokenHash);
    if (!principal || !sameHash(principal.tokenHash, tokenHash)) throw new Unauthenticated('unknown token');
    if (principal.revokedAt) throw new Unauthenticated('this token has been revoked');
    const { tokenHash: _hash, ...publicPrincipal } = principal;
    return publicPrincipal;
  }
}
