/**
 * Leases: at most one process runs a singleton (a projector, the webhook dispatcher, a rebuild) at a
 * time. A lease is held for a time to live and must be renewed before it runs out; an expired lease
 * can be taken by anyone.
 */
export interface LeaseStore {
  /** Takes the lease when it is free or expired, or renews it when `owner` holds it: true when `owner` holds it now. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it, so another process can take it at once. */
  release(name: string, owner: string): Promise<void>;
  /** Who holds the lease now (an expired lease is held by nobody). */
  holder(name: string): Promise<LeaseHolder | null>;
  close?(): Promise<void>;
}

export interface LeaseHolder {
  owner: string;
  /** Milliseconds since the epoch, by the store's clock. */
  expiresAt: number;
}

/** The lease names the system uses. */
export const LEASES = {
  /** The embedded projector (the API's projector thread or `npm run projector` on DATA_DIR). */
  projector: 'projector',
  /** One projection in the projector process on MongoDB. */
  projection: (name: string) => `projection:${name}`,
  webhookDispatch: 'webhook-dispatch',
  rebuild: 'rebuild',
  dailyDigest: 'daily-digest',
  /** One principal's Idempotency-Key while a request with it is being decided. */
  idempotencyKey: (principalId: string, key: string) => `idempotency-key:${principalId}\n${key}`,
} as const;
