import { createHash } from 'node:crypto';
import { canonicalJson, type RecordedEvent } from '#event-store';
import type { LaunchEvent } from '#launch';
import type { CommandContext } from './command-context.js';

/** An event a command appended under an Idempotency-Key, where the store holds it. */
export interface KeyedEvent {
  event: LaunchEvent;
  revision: number;
  position: number;
}

/**
 * What a stream holds of one Idempotency-Key: the events its command appended (the key's record
 * is those events: deterministic ids put them in the store once, in the command's own append) and
 * the fingerprint of the request that sent them.
 */
export interface KeyedRecord {
  requestHash: string | undefined;
  events: readonly KeyedEvent[];
}

/** Keys are per principal. */
export const keyScope = (principalId: string, key: string): string => `${principalId}\n${key}`;

/** The scope of a command's key, if it was sent with one. */
export const scopeOf = (context: CommandContext): string | undefined =>
  context.idempotencyKey === undefined ? undefined : keyScope(context.actor.id, context.idempotencyKey);

/** The scope of a stored event's key, from its metadata (actor and key). */
export function storedScope(recorded: Pick<RecordedEvent, 'metadata'>): string | undefined {
  const { idempotencyKey, actor } = recorded.metadata as { idempotencyKey?: unknown; actor?: { id?: unknown } };
  return typeof idempotencyKey === 'string' && typeof actor?.id === 'string' ? keyScope(actor.id, idempotencyKey) : undefined;
}

/** What identifies a request beside its key: method, path and the canonical JSON of its body. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const path = url.split('?', 1)[0];
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

/** Adds `event` to its key's record in `keyed` (a map the caller owns: cached tips are shared, never changed). */
export function addKeyedEvent(keyed: Map<string, KeyedRecord>, scope: string, requestHash: string | undefined, event: KeyedEvent): void {
  const record = keyed.get(scope);
  keyed.set(scope, { requestHash: record?.requestHash ?? requestHash, events: [...(record?.events ?? []), event] });
}
