import type { RecordedEvent } from '#event-store';
import { LAUNCH_STREAM_PREFIX } from '#launch';
import type { ReceivedRequest } from '../../apps/api/src/webhooks/test/loopback-receiver.js';
import type { Check } from './store-invariants.js';

/** One entry of `GET /v1/webhooks/{id}/deliveries` (newest first). */
export interface DeliveryAttempt {
  eventId: string;
  position: number;
  type: string;
  attempt: number;
  status: 'delivered' | 'failed';
}

export interface WebhookRun {
  /** Every event of the store (the webhook wants the launch events after `fromPosition`). */
  stored: RecordedEvent[];
  fromPosition: number;
  /** Every request the receiver got, in arrival order, with what it answered. */
  received: ReceivedRequest[];
  /** The deliveries log, newest first, and whether it was cut at the number of attempts it keeps. */
  attempts: DeliveryAttempt[];
  attemptsTruncated: boolean;
}

/**
 * What a webhook receiver relies on: every launch event arrives (at least once), a receiver that
 * drops repeats by event id sees them in log order, each delivery is the event as stored, and no
 * event arrives more often than the deliveries log says it was attempted.
 */
export function checkWebhookDeliveries(run: WebhookRun): Check[] {
  const wanted = run.stored.filter((e) => e.streamId.startsWith(LAUNCH_STREAM_PREFIX) && e.position > run.fromPosition);
  const byId = new Map(wanted.map((e) => [e.eventId, e]));
  const payload = (r: ReceivedRequest) => r.body as { eventId?: string; position?: number; type?: string; streamId?: string; revision?: number; hash?: string };
  const accepted = run.received.filter((r) => r.status >= 200 && r.status < 300);

  const missing = wanted.filter((e) => !accepted.some((r) => payload(r).eventId === e.eventId));
  const notStored: string[] = [];
  for (const r of run.received) {
    const body = payload(r);
    const event = body.eventId === undefined ? undefined : byId.get(body.eventId);
    if (!event) notStored.push(`a delivery of ${body.type} ${body.eventId} at position ${body.position}: no such launch event in the store`);
    else if (
      body.position !== event.position ||
      body.type !== event.type ||
      body.streamId !== event.streamId ||
      body.revision !== event.revision ||
      body.hash !== event.metadata.hash
    ) {
      notStored.push(
        `event ${event.eventId}: delivered as ${body.type} ${body.streamId}@${body.revision} position ${body.position}, stored as ${event.type} ${event.streamId}@${event.revision} position ${event.position}`,
      );
    }
  }

  const outOfOrder: string[] = [];
  const seen = new Set<string>();
  let last = 0;
  for (const r of accepted) {
    const { eventId, position = 0, type } = payload(r);
    if (eventId === undefined || seen.has(eventId)) continue;
    seen.add(eventId);
    if (position <= last) outOfOrder.push(`${type} at position ${position} first arrived after position ${last}`);
    last = Math.max(last, position);
  }

  // The log keeps the newest attempts only: when it is full, judge only events at or after its oldest entry.
  const floor = run.attemptsTruncated ? Math.min(...run.attempts.map((a) => a.position)) : 0;
  const logged = countBy(run.attempts.map((a) => a.eventId));
  const arrivals = countBy(run.received.map((r) => payload(r).eventId ?? ''));
  const overDelivered: string[] = [];
  for (const [eventId, count] of arrivals) {
    const event = byId.get(eventId);
    if (!event || event.position <= floor) continue;
    const attempts = logged.get(eventId) ?? 0;
    if (count > attempts)
      overDelivered.push(`${event.type} ${eventId} (position ${event.position}) arrived ${count} times, the deliveries log records ${attempts} attempts`);
  }

  return [
    {
      name: `every launch event reached the webhook at least once (${wanted.length} events, ${run.received.length} requests)`,
      failures: missing.map((e) => `${e.type} ${e.eventId} (${e.streamId}@${e.revision}, position ${e.position}) was never delivered`),
    },
    { name: 'each webhook delivery is an event exactly as stored', failures: notStored },
    { name: 'webhook events arrive in log order (repeats dropped by event id)', failures: outOfOrder },
    {
      name: `no event reached the webhook more often than its logged attempts${floor > 0 ? ` (events after position ${floor}, the log's window)` : ''}`,
      failures: overDelivered,
    },
  ];
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
