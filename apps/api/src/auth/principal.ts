import type { Actor } from '#launch';

export interface Principal extends Actor {
  createdAt: string;
  revokedAt?: string;
  /** How a person signed in through single sign-on came: a dashboard session or the provider's access token. Absent: an API token. */
  via?: 'session' | 'access-token';
  /** When that session or access token stops working. */
  expiresAt?: string;
  /** The dashboard session's token hash (to end it, and to end its live streams when it ends). */
  sessionHash?: string;
}

/** How a bootstrap admin came to be: from `ADMIN_TOKEN` ('env') or generated on a first start ('generated'). */
export type BootstrapOrigin = 'env' | 'generated';

export interface StoredPrincipal extends Principal {
  tokenHash: string;
  bootstrap?: BootstrapOrigin;
}

export const PRINCIPAL_STORE = Symbol('PRINCIPAL_STORE');

export interface PrincipalStore {
  add(principal: StoredPrincipal): Promise<void>;
  /** Adds the principal unless one with its id or token hash exists (any process); true when this call added it. */
  addIfAbsent(principal: StoredPrincipal): Promise<boolean>;
  /** Adds the principal only while there is no principal at all; true when this call added it. */
  addFirst(principal: StoredPrincipal): Promise<boolean>;
  /** Marks a principal made before bootstrap admins were marked (no effect on a marked one). */
  markBootstrapAdmin(id: string, origin: BootstrapOrigin): Promise<void>;
  /** Revokes every unrevoked bootstrap admin of that origin except `keepId`; how many it revoked. */
  revokeBootstrapAdmins(origin: BootstrapOrigin, keepId: string, at: string): Promise<number>;
  /** The principal holding this token hash, revoked or not. */
  findByTokenHash(tokenHash: string): Promise<StoredPrincipal | null>;
  get(id: string): Promise<Principal | null>;
  list(): Promise<Principal[]>;
  /** Marks the principal revoked; false when there is no such principal. */
  revoke(id: string, at: string): Promise<boolean>;
  count(): Promise<number>;
}

/** The public view of a principal: never its token or hash. */
export function describePrincipal(p: Principal) {
  return {
    id: p.id,
    name: p.name,
    role: p.role,
    department: p.department ?? null,
    createdAt: p.createdAt,
    ...(p.revokedAt && { revokedAt: p.revokedAt }),
    ...(p.via && { signedInVia: p.via, expiresAt: p.expiresAt }),
  };
}
