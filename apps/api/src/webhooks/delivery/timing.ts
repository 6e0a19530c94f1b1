/** Time as the dispatcher sees it; tests pass a fake one. */
export interface Timing {
  now(): number;
  /** Waits `ms`; resolves false at once when `signal` is aborted (and leaves no timer behind). */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  random(): number;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};
