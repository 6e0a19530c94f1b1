import { describe, expect, it } from '@jest/globals';
import { acquireFilter, acquireUpdate, LEASES_COLLECTION, releaseFilter } from './mongo-lease-queries.js';

describe('MongoDB lease queries', () => {
  it('keeps leases in projector_leases', () => {
    expect(LEASES_COLLECTION).toBe('projector_leases');
  });

  it('takes a lease only when the owner holds it already or it has expired by the server clock', () => {
    expect(acquireFilter('projection:launch-views', 'host:42:ab')).toEqual({
      _id: 'projection:launch-views',
      $or: [{ owner: 'host:42:ab' }, { $expr: { $lte: ['$expiresAt', '$$NOW'] } }],
    });
  });

  it('sets the owner as a literal (never read as a field path) and the expiry from the server clock', () => {
    const [stage] = acquireUpdate('$evil', 15_000);
    expect(stage).toEqual({
      $set: {
        acquiredAt: { $cond: [{ $eq: ['$owner', { $literal: '$evil' }] }, '$acquiredAt', '$$NOW'] },
        owner: { $literal: '$evil' },
        expiresAt: { $add: ['$$NOW', 15_000] },
        renewedAt: '$$NOW',
      },
    });
  });

  it('releases only its own lease', () => {
    expect(releaseFilter('p', 'me')).toEqual({ _id: 'p', owner: 'me' });
  });
});
