import type { LeaseHolder, LeaseStore } from './lease-store.port.js';

/** Leases inside one process, with the clock passed in: for unit tests only (processes share SqliteLeaseStore or MongoLeaseStore). */
export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const lease = this.leases.get(name);
    const now = this.now();
    if (lease && lease.owner !== owner && lease.expiresAt > now) return false;
    this.leases.set(name, { owner, expiresAt: now + ttlMs });
    return true;
  }

  async release(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  async holder(name: string): Promise<LeaseHolder | null> {
    const lease = this.leases.get(name);
    return lease && lease.expiresAt > this.now() ? { ...lease } : null;
  }
}
