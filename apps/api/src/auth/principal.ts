import type { Actor } from '#launch';

export interface Principal extends Actor {
  createdAt: string;
  revokedAt?: string;
}

export interface StoredPrincipal extends Principal {
  tokenHash: string;
}

export const PRINCIPAL_STORE = Symbol('PRINCIPAL_STORE');

export interface PrincipalStore {
  add(principal: StoredPrincipal): Promise<void>;
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
  };
}
