import type { RecordedEvent } from '#event-store';
import { LAUNCH_STREAM_PREFIX } from '#launch';
import type { Webhook } from '../webhook.js';
import { type HistoryEvent, presentEvent } from '#platform';

/** The body of a delivery: the event exactly as the history endpoint shows it, with the launch it belongs to. */
export type WebhookPayload = { launchId: string; streamId: string } & HistoryEvent;

export const isLaunchEvent = (event: RecordedEvent): boolean => event.streamId.startsWith(LAUNCH_STREAM_PREFIX);

export const launchIdOf = (event: RecordedEvent): string => event.streamId.slice(LAUNCH_STREAM_PREFIX.length);

/** Whether the webhook wants this event: launch streams only, and only the types it asked for. */
export function isWanted(webhook: Pick<Webhook, 'events'>, event: RecordedEvent): boolean {
  return isLaunchEvent(event) && (webhook.events === null || webhook.events.includes(event.type));
}

export function webhookPayload(event: RecordedEvent): WebhookPayload {
  return { launchId: launchIdOf(event), streamId: event.streamId, ...presentEvent(event) };
}
