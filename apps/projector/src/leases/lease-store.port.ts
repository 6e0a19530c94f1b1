/**
 * Leases: at most one projector process runs a projection at a time. A lease is held for a time
 * to live and must be renewed before it runs out; an expired lease can be taken by anyone.
 */
export interface LeaseStore {
  /** Takes the lease when it is free or expired, or renews it when `owner` holds it: true when `owner` holds it now. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it, so another process can take it at once. */
  release(name: string, owner: string): Promise<void>;
}
