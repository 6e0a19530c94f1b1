import { describe, expect, it } from '@jest/globals';
import { backoffDelay, retryUntilAvailable } from './connection-retry.js';

describe('connecting with backoff', () => {
  it('doubles the delay from 250 ms up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n))).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(1000, { initialDelayMs: 100, maxDelayMs: 3000 })).toBe(3000);
  });

  it('retries until the server answers, reporting each failure and the success', async () => {
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      if (calls < 4) throw new Error(`refused ${calls}`);
    };
    const failures: Array<[string, number, number]> = [];
    const slept: number[] = [];
    let succeededAfter = 0;

    const connected = await retryUntilAvailable(
      attempt,
      { failed: (e, n, ms) => failures.push([(e as Error).message, n, ms]), succeeded: (n) => (succeededAfter = n) },
      new AbortController().signal,
      {},
      async (ms) => {
        slept.push(ms);
      },
    );

    expect(connected).toBe(true);
    expect(failures).toEqual([
      ['refused 1', 1, 250],
      ['refused 2', 2, 500],
      ['refused 3', 3, 1000],
    ]);
    expect(slept).toEqual([250, 500, 1000]);
    expect(succeededAfter).toBe(4);
  });

  it('stops when aborted (the store closes), without reporting success', async () => {
    const abort = new AbortController();
    let succeeded = false;

    const connected = await retryUntilAvailable(
      async () => {
        throw new Error('refused');
      },
      { failed: () => abort.abort(), succeeded: () => (succeeded = true) },
      abort.signal,
    );

    expect(connected).toBe(false);
    expect(succeeded).toBe(false);
  });

  it('a real sleep ends early on abort', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const done = retryUntilAvailable(
      async () => {
        throw new Error('refused');
      },
      { failed: () => setTimeout(() => abort.abort(), 20), succeeded: () => undefined },
      abort.signal,
      { initialDelayMs: 60_000 },
    );

    await expect(done).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
