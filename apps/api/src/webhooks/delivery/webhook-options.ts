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
  /** WEBHOOK_ALLOW_PRIVATE: loopback, private, link-local… receivers accepted (off: refused at registration and at each delivery). */
  allowPrivate: boolean;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  dispatch: true,
  retry: { minDelayMs: 250, maxDelayMs: 30_000 },
  timeoutMs: 10_000,
  maxBatchSize: 100,
  userAgent: 'LaunchControl-Webhooks/1.0',
  allowPrivate: false,
};

const positive = (value: string | undefined, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
};

function allowPrivate(value: string | undefined): boolean {
  if (value === undefined || value === '' || /^(0|false|off|no)$/i.test(value)) return false;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  throw new Error(`WEBHOOK_ALLOW_PRIVATE must be true or false, got ${JSON.stringify(value)}`);
}

/** WEBHOOK_DISPATCH, WEBHOOK_RETRY_MIN_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_TIMEOUT_MS, WEBHOOK_ALLOW_PRIVATE over the defaults. */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv): WebhookOptions {
  const d = DEFAULT_WEBHOOK_OPTIONS;
  return {
    ...d,
    dispatch: !/^(off|false|0|no)$/i.test(env.WEBHOOK_DISPATCH ?? ''),
    retry: { minDelayMs: positive(env.WEBHOOK_RETRY_MIN_MS, d.retry.minDelayMs), maxDelayMs: positive(env.WEBHOOK_RETRY_MAX_MS, d.retry.maxDelayMs) },
    timeoutMs: positive(env.WEBHOOK_TIMEOUT_MS, d.timeoutMs),
    allowPrivate: allowPrivate(env.WEBHOOK_ALLOW_PRIVATE),
  };
}
