import type { DeliveryAttempt, Webhook } from '../webhook.js';

export const WEBHOOKS_COLLECTION = 'webhooks';
export const WEBHOOK_DELIVERIES_COLLECTION = 'webhook_deliveries';

export interface WebhookDocument {
  _id: string;
  url: string;
  events: string[] | null;
  secret: string;
  /** Absent (or null): the secret is in clear, stored before secrets were sealed. */
  secretKeyId?: string | null;
  createdAt: string;
  checkpoint: number;
  generation: number;
}

/** `seq` orders the attempts (newest first); the store numbers them. */
export type DeliveryAttemptDocument = DeliveryAttempt & { seq: number };

export const toWebhookDocument = ({ id, secretKeyId, ...rest }: Webhook): WebhookDocument => ({
  _id: id,
  ...rest,
  ...(secretKeyId !== undefined && { secretKeyId }),
});

export const fromWebhookDocument = (doc: WebhookDocument): Webhook => ({
  id: doc._id,
  url: doc.url,
  events: doc.events,
  secret: doc.secret,
  ...(typeof doc.secretKeyId === 'string' && { secretKeyId: doc.secretKeyId }),
  createdAt: doc.createdAt,
  checkpoint: doc.checkpoint,
  generation: doc.generation,
});

/** The attempt as stored: absent optional fields stay absent (no nulls). */
export function toAttemptDocument(attempt: DeliveryAttempt, seq: number): DeliveryAttemptDocument {
  const { httpStatus, error, ...required } = attempt;
  return { ...required, ...(httpStatus !== undefined && { httpStatus }), ...(error !== undefined && { error }), seq };
}

export function fromAttemptDocument(doc: DeliveryAttemptDocument & { _id?: unknown }): DeliveryAttempt {
  return {
    webhookId: doc.webhookId,
    eventId: doc.eventId,
    position: doc.position,
    type: doc.type,
    launchId: doc.launchId,
    attempt: doc.attempt,
    status: doc.status,
    ...(doc.httpStatus !== undefined && doc.httpStatus !== null && { httpStatus: doc.httpStatus }),
    ...(doc.error !== undefined && doc.error !== null && { error: doc.error }),
    at: doc.at,
    durationMs: doc.durationMs,
  };
}

/** The update that moves a checkpoint only forward, and only within the generation the worker started in. */
export const advanceFilter = (id: string, generation: number, position: number) => ({ _id: id, generation, checkpoint: { $lt: position } });
