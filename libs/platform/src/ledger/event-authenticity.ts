import type { RecordedEvent } from '#event-store';
import { inspectEvent, type Authenticity, type Inspection } from '#ledger';
import type { LedgerKey } from './ledger-key-file.js';

export type { Authenticity };

/** The event's leaf and whether the server appended it as stored (events adopted from before the key need no MAC). */
export function inspect(event: RecordedEvent, key: Pick<LedgerKey, 'macKey' | 'adoptedThrough'>): Inspection {
  return inspectEvent(key.macKey, event, event.position <= key.adoptedThrough);
}

export const authenticityOf = (event: RecordedEvent, key: Pick<LedgerKey, 'macKey' | 'adoptedThrough'>): Authenticity => inspect(event, key).authenticity;
