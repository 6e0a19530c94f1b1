export interface RetryPolicy {
  /** Delay before the second attempt, before jitter. */
  minDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
}

/**
 * The wait after failed attempt `attempt` (1-based): exponential (min × 2^(attempt-1)), capped at
 * max, with "equal jitter" — half of it fixed, the other half random — so receivers that come back
 * are not hit by every sender at the same instant, and the wait still grows.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
