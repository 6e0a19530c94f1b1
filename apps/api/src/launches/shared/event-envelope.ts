import { createHash, randomUUID } from 'node:crypto';
import { chainWithText, type EventToAppend } from '#event-store';
import { schemaVersionOf, type Actor, type LaunchEvent } from '#launch';
import type { CommandContext } from './command-context.js';

/** A UUID-shaped id derived from the caller and its idempotency key, so a retry appends the same event ids. */
export function idempotentEventId(principalId: string, key: string, index: number): string {
  const hex = createHash('sha256').update(`${principalId}\n${key}\n${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const idempotentLaunchId = (principalId: string, key: string): string => idempotentEventId(principalId, `launch:${key}`, 0);

function actorOf(actor: Actor): Actor {
  return { id: actor.id, name: actor.name, role: actor.role, ...(actor.department && { department: actor.department }) };
}

/**
 * Wraps a decided event for the store: its id, metadata (actor, time, correlation) and its place in
 * the hash chain; also the text the chain hashed, from which the ledger makes its leaf (sealEvents,
 * which adds the MAC as the store writes the event: the runner's `beforeWrite`).
 */
export function envelope(
  event: LaunchEvent,
  place: { streamId: string; revision: number; prevHash: string; index: number },
  context: CommandContext,
  occurredAt: string,
): { stored: EventToAppend; text: string } {
  const metadata = {
    actor: actorOf(context.actor),
    occurredAt,
    correlationId: context.correlationId,
    causationId: context.causationId,
    schemaVersion: schemaVersionOf(event.type),
    ...(context.idempotencyKey !== undefined && { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash }),
  };
  const data = event.data as unknown as Record<string, unknown>;
  const eventId = context.idempotencyKey !== undefined ? idempotentEventId(context.actor.id, context.idempotencyKey, place.index) : randomUUID();
  const { metadata: chained, text } = chainWithText({ streamId: place.streamId, revision: place.revision, type: event.type, data, metadata }, place.prevHash);
  return { stored: { eventId, type: event.type, data, metadata: chained }, text };
}
