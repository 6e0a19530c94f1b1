import { isDuplicateKey, type MongoConnection } from '#mongo';
import type { Document } from 'mongodb';
import type { LeaseHolder, LeaseStore } from './lease-store.port.js';
import { acquireFilter, acquireUpdate, LEASES_COLLECTION, releaseFilter } from './mongo-lease-queries.js';

/** Leases in MongoDB (`projector_leases`: projector, webhook dispatch and rebuild leases alike), taken and renewed with one atomic findOneAndUpdate. */
export class MongoLeaseStore implements LeaseStore {
  constructor(private readonly connection: MongoConnection) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const leases = (await this.connection.db()).collection<Document>(LEASES_COLLECTION);
    try {
      const lease = await leases.findOneAndUpdate(acquireFilter(name, owner), acquireUpdate(owner, ttlMs), {
        upsert: true,
        returnDocument: 'after',
      });
      return lease?.owner === owner;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // held by another owner, not expired
      throw err;
    }
  }

  async holder(name: string): Promise<LeaseHolder | null> {
    const lease = await (
      await this.connection.db()
    )
      .collection<Document>(LEASES_COLLECTION)
      .findOne({ _id: name, $expr: { $gt: ['$expiresAt', '$$NOW'] } } as Document);
    return lease ? { owner: String(lease.owner), expiresAt: new Date(lease.expiresAt as Date).getTime() } : null;
  }

  async release(name: string, owner: string): Promise<void> {
    await (await this.connection.db()).collection<Document>(LEASES_COLLECTION).deleteOne(releaseFilter(name, owner));
  }
}
