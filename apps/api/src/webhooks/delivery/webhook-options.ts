import type { RetryPolicy } from './backoff.js';

export interface WebhookOptions {
  /** Whether this process competes for the webhook-dispatch lease (WEBHOOK_DISPATCH=off: it never delivers). */
  dispatch: boolean;
  retry: RetryPolicy;
  /** A delivery attempt that has not been answered within this is a failed attempt. */
  timeoutMs: number;
  /** Events read from the log at once. */
  maxBatchSize: number;
  userAgent: string;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  dispatch: true,
  retry: { minDelayMs: 250, maxDelayMs: 30_000 },
  timeoutMs: 10_000,
  maxBatchSize: 100,
  userAgent: 'LaunchControl-Webhooks/1.0',
};

const positive = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** WEBHOOK_DISPATCH, WEBHOOK_RETRY_MIN_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_TIMEOUT_MS over the defaults. */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv): WebhookOptions {
  const d = DEFAULT_WEBHOOK_OPTIONS;
  return {
    ...d,
    dispatch: !/^(off|false|0|no)$/i.test(env.WEBHOOK_DISPATCH ?? ''),
    retry: { minDelayMs: positive(env.WEBHOOK_RETRY_MIN_MS, d.retry.minDelayMs), maxDelayMs: positive(env.WEBHOOK_RETRY_MAX_MS, d.retry.maxDelayMs) },
    timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, d.timeoutMs),
  };
}
