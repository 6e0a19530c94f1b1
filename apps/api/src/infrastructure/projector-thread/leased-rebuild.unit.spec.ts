import { describe, expect, it } from '@jest/globals';
import { StoreUnavailableError } from '#event-store';
import { InMemoryLeaseStore, type LeaseStore } from '#leases';
import { toProblem } from '../../http/to-problem.js';
import { RebuildRunningError, takeRebuildLease } from './leased-rebuild.js';

const noop = () => undefined;

describe('the rebuild lease as POST /v1/admin/projections/rebuild takes it', () => {
  it('is refused with 409 naming the holder while another process holds it', async () => {
    const store = new InMemoryLeaseStore();
    await store.acquire('rebuild', 'api-on-port-3001', 60_000);
    const refusal = await takeRebuildLease({ store, owner: 'me', ttlMs: 60_000 }, noop).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RebuildRunningError);
    expect((refusal as Error).message).toContain('api-on-port-3001');
  });

  it('answers 503 with Retry-After, not "already running", when the lease store cannot be reached', async () => {
    const down: LeaseStore = {
      acquire: () => Promise.reject(new Error('no primary available')),
      release: async () => undefined,
      holder: async () => null,
    };
    const error = await takeRebuildLease({ store: down, owner: 'me', ttlMs: 60_000 }, noop).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    const { problem, headers } = toProblem(error);
    expect([problem.status, headers['Retry-After']]).toEqual([503, '1']);
    expect(problem.detail).toContain('no primary available');
  });
});
