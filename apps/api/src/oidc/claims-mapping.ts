import { Forbidden, isDepartment, isRole, type Actor, type Role } from '#launch';
import type { OidcConfig } from './oidc-config.js';

/** When a person holds several mapped roles, the one that may do the most wins. */
const PRECEDENCE: readonly Role[] = ['admin', 'launch-manager', 'department', 'auditor'];

/** Actor ids of people signed in through the provider: never a UUID, so never an API principal's id. */
export const OIDC_ACTOR_PREFIX = 'oidc:';

export type Claims = Record<string, unknown>;

type MappingSettings = Pick<OidcConfig, 'roleClaim' | 'departmentClaim' | 'roleMap'>;

/** A claim by name, or by dotted path into nested objects (`realm_access.roles`); a name containing dots is tried whole first. */
export function claimAt(claims: Claims, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The role the claims give, if any: each value of the role claim through OIDC_ROLE_MAP (or taken as a role name). */
export function roleFromClaims(claims: Claims, settings: MappingSettings): Role | undefined {
  const raw = claimAt(claims, settings.roleClaim);
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  const roles = new Set(values.map((v) => (settings.roleMap ? settings.roleMap.get(v) : isRole(v) ? v : undefined)));
  return PRECEDENCE.find((role) => roles.has(role));
}

/**
 * The actor a verified set of claims stands for: the person (`sub`, a display name from `name`,
 * `preferred_username` or `email`, with the email), the role from the role claim and, for the
 * department role, the department from the department claim. A person the claims give no usable
 * role is 403: who they are is proven, they are just not allowed in.
 */
export function actorFromClaims(claims: Claims, settings: MappingSettings): Actor {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw new Forbidden('the token names no subject (sub)');
  const role = roleFromClaims(claims, settings);
  if (!role) {
    throw new Forbidden(`the identity provider gives this person no Launch Control role (claim ${settings.roleClaim}); ask an administrator to grant one`);
  }
  const actor: Actor = { id: `${OIDC_ACTOR_PREFIX}${sub}`, name: displayName(claims, sub), role };
  if (role !== 'department') return actor;
  const department = firstString(claimAt(claims, settings.departmentClaim));
  if (!isDepartment(department)) {
    throw new Forbidden(
      `a department member needs a known department in the claim ${settings.departmentClaim}${department ? `; ${JSON.stringify(department.slice(0, 64))} is not one` : ''}`,
    );
  }
  return { ...actor, department };
}

function displayName(claims: Claims, sub: string): string {
  const email = firstString(claims.email);
  const name = firstString(claims.name) ?? firstString(claims.preferred_username);
  const shown = name && email && name !== email ? `${name} <${email}>` : (name ?? email ?? sub);
  return shown.slice(0, 200);
}

function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}
