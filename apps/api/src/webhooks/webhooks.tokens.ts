/** The delivery settings (WebhookOptions) the module resolved from the config and WEBHOOK_* variables. */
export const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');
