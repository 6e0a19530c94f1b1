import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WEBHOOK_OPTIONS, webhookOptionsFromEnv } from './webhook-options.js';

describe('webhook options from the environment', () => {
  it('defaults to delivering, 250 ms → 30 s backoff and a 10 s timeout', () => {
    expect(webhookOptionsFromEnv({})).toEqual(DEFAULT_WEBHOOK_OPTIONS);
    expect(DEFAULT_WEBHOOK_OPTIONS).toMatchObject({ dispatch: true, retry: { minDelayMs: 250, maxDelayMs: 30_000 }, timeoutMs: 10_000 });
  });

  it('reads the timings and the dispatch switch, ignoring values that are not positive numbers', () => {
    const options = webhookOptionsFromEnv({ WEBHOOK_RETRY_MIN_MS: '50', WEBHOOK_RETRY_MAX_MS: 'soon', WEBHOOK_TIMEOUT_MS: '-1', WEBHOOK_DISPATCH: 'off' });
    expect(options).toMatchObject({ dispatch: false, retry: { minDelayMs: 50, maxDelayMs: 30_000 }, timeoutMs: 10_000 });
    expect(webhookOptionsFromEnv({ WEBHOOK_DISPATCH: 'on' }).dispatch).toBe(true);
  });

  it('refuses private receivers unless WEBHOOK_ALLOW_PRIVATE=true, and refuses a value that is neither', () => {
    expect(DEFAULT_WEBHOOK_OPTIONS.allowPrivate).toBe(false);
    expect(webhookOptionsFromEnv({ WEBHOOK_ALLOW_PRIVATE: 'true' }).allowPrivate).toBe(true);
    expect(webhookOptionsFromEnv({ WEBHOOK_ALLOW_PRIVATE: 'false' }).allowPrivate).toBe(false);
    expect(() => webhookOptionsFromEnv({ WEBHOOK_ALLOW_PRIVATE: 'sure' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
