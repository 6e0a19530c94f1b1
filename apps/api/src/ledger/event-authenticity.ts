import { eventHash, type RecordedEvent } from '#event-store';
import { hasValidMac } from '#ledger';
import type { LedgerKey } from './ledger-key-file.js';

/** `altered`: the event no longer hashes to its own `hash`; `unauthenticated`: the server's key did not MAC it. */
export type Authenticity = 'authentic' | 'altered' | 'unauthenticated';

/** Whether the server appended this event as it is stored (events adopted from before the key need no MAC). */
export function authenticityOf(event: RecordedEvent, key: Pick<LedgerKey, 'macKey' | 'adoptedThrough'>): Authenticity {
  if (event.metadata.hash !== eventHash(event)) return 'altered';
  if (event.position <= key.adoptedThrough) return 'authentic';
  return hasValidMac(key.macKey, event) ? 'authentic' : 'unauthenticated';
}
