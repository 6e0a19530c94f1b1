import type { DeliveryAttempt, Webhook } from '../webhook.js';
import { shownError } from './delivery-errors.js';
import type { WebhookStatus } from './webhook-worker.js';

/**
 * A webhook's delivery state as an instance that does not deliver sees it, from the store: retrying
 * when its latest attempt failed on an event past its checkpoint, delivering while its checkpoint is
 * behind the log, idle when caught up; stopped when no instance holds the dispatch lease.
 */
export function storedStatus(webhook: Webhook, latest: DeliveryAttempt | undefined, head: number, dispatched: boolean): WebhookStatus {
  if (!dispatched) return { state: 'stopped' };
  if (latest && latest.status === 'failed' && latest.position > webhook.checkpoint) {
    return {
      state: 'retrying',
      lastError: {
        message: shownError(latest.error ?? 'failed'),
        ...(latest.httpStatus !== undefined && { httpStatus: latest.httpStatus }),
        at: latest.at,
        eventId: latest.eventId,
        attempt: latest.attempt,
      },
    };
  }
  return { state: webhook.checkpoint < head ? 'delivering' : 'idle' };
}
