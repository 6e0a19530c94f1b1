import type { RecordedEvent } from '#event-store';

/** An event as auditors read it: exactly as stored (not upcast), the chain hashes beside its metadata. */
export interface HistoryEvent {
  revision: number;
  position: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
  prevHash: string;
  /** The event's leaf in the ledger's Merkle tree; null until a signed head covers it (or with LEDGER=off). Absent in the per-launch exports. */
  leafIndex?: number | null;
}

/** `ledger`: the event's place in the ledger's tree, shown as `leafIndex`. */
export function presentEvent(event: RecordedEvent, ledger?: { leafIndex: number | null }): HistoryEvent {
  const { hash, prevHash, ...metadata } = event.metadata;
  return {
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata,
    hash: String(hash ?? ''),
    prevHash: String(prevHash ?? ''),
    ...(ledger !== undefined && { leafIndex: ledger.leafIndex }),
  };
}
