import type { DeliveryAttempt, Webhook } from '../webhook.js';

export const WEBHOOK_STORE = Symbol('WEBHOOK_STORE');

/** Where webhooks, their checkpoints and their recent delivery attempts are kept. */
export interface WebhookStore {
  add(webhook: Webhook): Promise<void>;
  get(id: string): Promise<Webhook | null>;
  list(): Promise<Webhook[]>;
  /** Deletes the webhook and its delivery log; false when there was none. */
  remove(id: string): Promise<boolean>;
  /**
   * Moves the checkpoint to `position` unless a replay has rewound the webhook since `generation`
   * (or it was removed): then nothing changes and the answer is false.
   */
  advance(id: string, generation: number, position: number): Promise<boolean>;
  /** Sets the checkpoint to `after` and starts a new generation; the webhook as it now is, or null when unknown. */
  rewind(id: string, after: number): Promise<Webhook | null>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  /** The most recent attempts, newest first. */
  attempts(webhookId: string, limit: number): Promise<DeliveryAttempt[]>;
  close(): Promise<void>;
}
