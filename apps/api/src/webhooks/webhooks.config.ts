import type { AppConfig } from '../config/app-config.js';
import { webhookOptionsFromEnv, type WebhookOptions } from './delivery/webhook-options.js';
import type { Resolve } from './url-safety/guarded-lookup.js';

declare module '../config/app-config.js' {
  interface AppConfig {
    /** Delivery timings over the WEBHOOK_* variables (tests make them short). */
    webhooks?: Partial<WebhookOptions>;
    /** How receivers' names are resolved for delivery (tests map a name to 127.0.0.1); the system resolver by default. */
    webhookResolver?: Resolve;
  }
}

export function webhookOptions(config: AppConfig, env: NodeJS.ProcessEnv = process.env): WebhookOptions {
  const fromEnv = webhookOptionsFromEnv(env);
  const given = config.webhooks ?? {};
  return { ...fromEnv, ...given, retry: { ...fromEnv.retry, ...given.retry } };
}
