import { describe, expect, it } from '@jest/globals';
import { retryDelay } from './backoff.js';

const policy = { minDelayMs: 250, maxDelayMs: 30_000 };

describe('retryDelay', () => {
  it('doubles with each failed attempt until the cap', () => {
    const upper = (attempt: number) => retryDelay(attempt, policy, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(upper)).toEqual([250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(upper(10_000)).toBe(30_000);
  });

  it('jitters within the upper half of the exponential delay', () => {
    expect(retryDelay(3, policy, () => 0)).toBe(500);
    expect(retryDelay(3, policy, () => 0.5)).toBe(750);
    expect(retryDelay(3, policy, () => 0.999)).toBeLessThanOrEqual(1000);
  });
});
