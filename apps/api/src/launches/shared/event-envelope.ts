import { createHash, randomUUID } from 'node:crypto';
import { chain, type EventToAppend } from '#event-store';
import { schemaVersionOf, type Actor, type LaunchEvent } from '#launch';
import { eventMac, MAC_FIELD } from '#ledger';
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
 * Wraps a decided event for the store: its id, metadata (actor, time, correlation), its MAC by the
 * server's ledger key (`macKey`; absent with LEDGER=off) and its place in the hash chain.
 */
export function envelope(
  event: LaunchEvent,
  place: { streamId: string; revision: number; prevHash: string; index: number },
  context: CommandContext,
  occurredAt: string,
  macKey?: Buffer,
): EventToAppend {
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
  const chained = chain({ streamId: place.streamId, revision: place.revision, type: event.type, data, metadata }, place.prevHash);
  // The MAC authenticates the chain hash (which covers everything else): one small HMAC per event.
  if (macKey) chained[MAC_FIELD] = eventMac(macKey, eventId, String(chained.hash));
  return { eventId, type: event.type, data, metadata: chained };
}
