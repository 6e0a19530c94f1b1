import type { AppConfig } from '../config/app-config.js';
import { webhookOptionsFromEnv, type WebhookOptions } from './delivery/webhook-options.js';

declare module '../config/app-config.js' {
  interface AppConfig {
    /** Delivery timings over the WEBHOOK_* variables (tests make them short). */
    webhooks?: Partial<WebhookOptions>;
  }
}

export function webhookOptions(config: AppConfig, env: NodeJS.ProcessEnv = process.env): WebhookOptions {
  const fromEnv = webhookOptionsFromEnv(env);
  const given = config.webhooks ?? {};
  return { ...fromEnv, ...given, retry: { ...fromEnv.retry, ...given.retry } };
}
