import type { Document } from 'mongodb';

/** The collection of projector leases: `{ _id: lease name, owner, expiresAt, acquiredAt, renewedAt }`. */
export const LEASES_COLLECTION = 'projector_leases';

/**
 * Matches the lease when `owner` may take it: it holds it already, or it has expired. Time is the
 * server's (`$$NOW`), so projectors on hosts with skewed clocks still agree on when a lease expires.
 * When nothing matches, the upsert tries to insert the lease and fails on the duplicate `_id`:
 * another owner holds it.
 */
export function acquireFilter(name: string, owner: string): Document {
  return { _id: name, $or: [{ owner }, { $expr: { $lte: ['$expiresAt', '$$NOW'] } }] };
}

/** Sets the owner and a new expiry (server time + ttl); `acquiredAt` changes only when the owner does. */
export function acquireUpdate(owner: string, ttlMs: number): Document[] {
  const me = { $literal: owner };
  return [
    {
      $set: {
        acquiredAt: { $cond: [{ $eq: ['$owner', me] }, '$acquiredAt', '$$NOW'] },
        owner: me,
        expiresAt: { $add: ['$$NOW', Math.max(1, Math.trunc(ttlMs))] },
        renewedAt: '$$NOW',
      },
    },
  ];
}

/** Deletes the lease only if `owner` still holds it. */
export function releaseFilter(name: string, owner: string): Document {
  return { _id: name, owner };
}
