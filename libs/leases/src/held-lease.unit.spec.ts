import { describe, expect, it } from '@jest/globals';
import { takeLease } from './held-lease.js';
import { InMemoryLeaseStore } from './in-memory-lease-store.js';
import type { LeaseStore } from './lease-store.port.js';

const failing = (message: string): LeaseStore => ({
  acquire: async () => {
    throw new Error(message);
  },
  release: async () => undefined,
  holder: async () => null,
});

describe('takeLease', () => {
  it('takes a free lease and holds it until released; another owner then takes it', async () => {
    const store = new InMemoryLeaseStore();
    const held = await takeLease({ store, name: 'rebuild', owner: 'a', ttlMs: 60_000 });
    expect(held).not.toBeNull();
    expect(await held!.stillHeld()).toBe(true);
    expect((await store.holder('rebuild'))?.owner).toBe('a');
    expect(await takeLease({ store, name: 'rebuild', owner: 'b', ttlMs: 60_000 })).toBeNull();
    await held!.release();
    expect(await store.holder('rebuild')).toBeNull();
    const next = await takeLease({ store, name: 'rebuild', owner: 'b', ttlMs: 60_000 });
    expect((await store.holder('rebuild'))?.owner).toBe('b');
    await next!.release();
  });

  it('reports a store that cannot be reached instead of answering that someone else holds the lease', async () => {
    await expect(takeLease({ store: failing('SQLITE_BUSY: database is locked'), name: 'rebuild', owner: 'a', ttlMs: 60_000 })).rejects.toThrow(
      'SQLITE_BUSY: database is locked',
    );
  });
});
