/** A registered receiver of launch events, as stored. The secret is kept (sealed) so deliveries can be signed. */
export interface Webhook {
  id: string;
  url: string;
  /** Event types delivered; null: every launch event type. */
  events: string[] | null;
  /** Sealed with the key `secretKeyId` names (see WebhookSecrets); in clear only when that is absent (stored before encryption). */
  secret: string;
  secretKeyId?: string;
  createdAt: string;
  /** Global position of the last event handled (delivered, or skipped by the filter). */
  checkpoint: number;
  /** Bumped by every replay, so a delivery that was in flight cannot move the rewound checkpoint forward. */
  generation: number;
}

/** One attempt to deliver one event to one webhook. */
export interface DeliveryAttempt {
  webhookId: string;
  eventId: string;
  position: number;
  type: string;
  launchId: string;
  /** 1 for the first attempt at this event, counting again from 1 after a replay. */
  attempt: number;
  status: 'delivered' | 'failed';
  httpStatus?: number;
  error?: string;
  at: string;
  durationMs: number;
}
