import { isRole, type Role } from '#launch';

/** Single sign-on with the company's OpenID Connect provider (README, Security: Single sign-on). */
export interface OidcConfig {
  /** The provider's issuer identifier; discovery is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The `aud` an access token must carry to be accepted by this API. */
  audience: string;
  /** The dashboard's client at the provider; unset: only access tokens are accepted (no dashboard SSO). */
  clientId?: string;
  /** Set for a confidential client (the code exchange authenticates with it); unset: a public client (PKCE only). */
  clientSecret?: string;
  /** Scopes the dashboard asks for. */
  scopes: string;
  /** Where the role is in the claims: a name, or a dotted path (`realm_access.roles`); a string or an array. */
  roleClaim: string;
  /** Where the department key is in the claims (a name or a dotted path). */
  departmentClaim: string;
  /** Claim value → role; unset: the claim values are the role names themselves. */
  roleMap?: ReadonlyMap<string, Role>;
  /** How long a dashboard session lasts. */
  sessionTtlMs: number;
  /** How long the provider's keys (JWKS) are trusted before they are fetched again: a key removed from the JWKS stops working within this. */
  jwksCacheMs: number;
  /** Leeway for `exp`/`nbf` against clock skew with the provider. */
  clockToleranceSeconds: number;
  /** Allow an `http:` issuer (tests on loopback); never in production. */
  allowInsecureIssuer: boolean;
}

export class OidcConfigError extends Error {}

/** The OIDC_* variables; undefined when OIDC_ISSUER is unset (single sign-on off). Throws on a setting that cannot work. */
export function parseOidcConfig(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    throw new OidcConfigError(`OIDC_ISSUER must be the provider's issuer URL, got ${JSON.stringify(issuer)}`);
  }
  const allowInsecureIssuer = issuerUrl.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuerUrl.hostname);
  if (issuerUrl.protocol !== 'https:' && !allowInsecureIssuer) throw new OidcConfigError('OIDC_ISSUER must be https (http only on loopback, for tests)');
  const audience = env.OIDC_AUDIENCE?.trim();
  if (!audience) throw new OidcConfigError('OIDC_AUDIENCE is required with OIDC_ISSUER: the audience access tokens for this API carry');
  const clientSecret = env.OIDC_CLIENT_SECRET || undefined;
  const clientId = env.OIDC_CLIENT_ID?.trim() || undefined;
  if (clientSecret && !clientId) throw new OidcConfigError('OIDC_CLIENT_SECRET is set without OIDC_CLIENT_ID');
  return {
    issuer,
    audience,
    clientId,
    clientSecret,
    scopes: env.OIDC_SCOPES?.trim() || 'openid profile email',
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'roles',
    departmentClaim: env.OIDC_DEPARTMENT_CLAIM?.trim() || 'department',
    roleMap: parseRoleMap(env.OIDC_ROLE_MAP),
    sessionTtlMs: positive(env.OIDC_SESSION_TTL_MS, 'OIDC_SESSION_TTL_MS', 3_600_000),
    jwksCacheMs: positive(env.OIDC_JWKS_CACHE_MS, 'OIDC_JWKS_CACHE_MS', 300_000),
    clockToleranceSeconds: 30,
    allowInsecureIssuer,
  };
}

/** `OIDC_ROLE_MAP`: `value=role` pairs separated by commas (`LC-Managers=launch-manager,LC-Audit=auditor`). */
function parseRoleMap(value: string | undefined): ReadonlyMap<string, Role> | undefined {
  if (!value?.trim()) return undefined;
  const map = new Map<string, Role>();
  for (const pair of value.split(',')) {
    const at = pair.lastIndexOf('=');
    const claimValue = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !claimValue || !isRole(role)) {
      throw new OidcConfigError(`OIDC_ROLE_MAP: ${JSON.stringify(pair.trim())} is not <claim value>=<admin|launch-manager|department|auditor>`);
    }
    map.set(claimValue, role);
  }
  return map;
}

function positive(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1000)
    throw new OidcConfigError(`${name} must be a whole number of milliseconds, at least 1000; got ${JSON.stringify(value)}`);
  return parsed;
}
