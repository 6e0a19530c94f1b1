import type { DeliveryAttempt, Webhook } from '../webhook.js';

export const WEBHOOK_STORE = Symbol('WEBHOOK_STORE');

/** Names one recorded attempt, to record its outcome. */
export type AttemptRef = number | string;
export type AttemptOutcome = Pick<DeliveryAttempt, 'status' | 'httpStatus' | 'error' | 'at' | 'durationMs'>;

/** Where webhooks, their checkpoints and their recent delivery attempts are kept. */
export interface WebhookStore {
  add(webhook: Webhook): Promise<void>;
  get(id: string): Promise<Webhook | null>;
  list(): Promise<Webhook[]>;
  /** Deletes the webhook and its delivery log; false when there was none. */
  remove(id: string): Promise<boolean>;
  /**
   * Moves the checkpoint forward to `position` unless a replay has rewound the webhook since
   * `generation`, it was removed, or it is already at or past `position` (another dispatcher got
   * further): then nothing changes and the answer is false. Only `rewind` moves it back.
   */
  advance(id: string, generation: number, position: number): Promise<boolean>;
  /** Replaces a secret stored in clear by its sealed form; false when it is sealed already or the webhook is gone. */
  sealSecret(id: string, sealed: string, keyId: string): Promise<boolean>;
  /** Sets the checkpoint to `after` and starts a new generation; the webhook as it now is, or null when unknown. */
  rewind(id: string, after: number): Promise<Webhook | null>;
  /**
   * Records an attempt before its request is sent (so a process killed mid-request still leaves it in
   * the log: receivers never get more requests than the log shows); `finishAttempt` then records its outcome.
   */
  recordAttempt(attempt: DeliveryAttempt): Promise<AttemptRef>;
  finishAttempt(ref: AttemptRef, outcome: AttemptOutcome): Promise<void>;
  /** The most recent attempts, newest first. */
  attempts(webhookId: string, limit: number): Promise<DeliveryAttempt[]>;
  close(): Promise<void>;
}
