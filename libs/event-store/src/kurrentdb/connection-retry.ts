/**
 * Waits for a server to answer, retrying with exponential backoff, so a process can start before
 * its event store is reachable (and say so) instead of crashing.
 */
export interface BackoffOptions {
  /** First delay after a failure. Default 250 ms. */
  initialDelayMs?: number;
  /** Largest delay. Default 10 s. */
  maxDelayMs?: number;
}

export interface RetryReporter {
  /** Called after each failed attempt with the delay before the next one. */
  failed(error: unknown, attempt: number, retryInMs: number): void;
  /** Called once the server answers (after `attempts` attempts). */
  succeeded(attempts: number): void;
}

/** The delay before retry number `attempt` (1-based): initial·2^(attempt-1), capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  return Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
}

/**
 * Calls `attempt` until it resolves or `signal` aborts, sleeping `backoffDelay` between failures.
 * Resolves true once it succeeded, false when aborted.
 */
export async function retryUntilAvailable(
  attempt: () => Promise<void>,
  reporter: RetryReporter,
  signal: AbortSignal,
  options: BackoffOptions = {},
  sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep,
): Promise<boolean> {
  for (let attempts = 1; !signal.aborted; attempts++) {
    try {
      await attempt();
      if (signal.aborted) return false;
      reporter.succeeded(attempts);
      return true;
    } catch (error) {
      if (signal.aborted) return false;
      const delay = backoffDelay(attempts, options);
      reporter.failed(error, attempts, delay);
      await sleep(delay, signal);
    }
  }
  return false;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
