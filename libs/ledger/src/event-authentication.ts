import { createHash, createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { leafHash } from './merkle.js';

/** An event as the store holds it, its metadata complete (`prevHash`, `hash`, `mac`). */
export interface LedgerEvent {
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/** The metadata field holding the server's MAC of the event. */
export const MAC_FIELD = 'mac';

/** The leaf entry of an event: its canonical bytes, hash-chain fields and MAC included. */
export function ledgerEntry(event: LedgerEvent): Buffer {
  const { streamId, revision, eventId, type, data, metadata } = event;
  return Buffer.from(canonicalJson({ streamId, revision, eventId, type, data, metadata }), 'utf8');
}

export const eventLeafHash = (event: LedgerEvent): Buffer => leafHash(ledgerEntry(event));

/**
 * The key that MACs events at append, derived from the ledger's private key so every process
 * holding that key authenticates alike, and nothing without it can.
 */
export function macKeyOf(privateKey: KeyObject): Buffer {
  return createHash('sha256').update('launch-control/ledger/event-mac/v1\n').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest();
}

/** HMAC-SHA256 over the event's canonical bytes less `hash` and `mac` (so it binds `prevHash` too). */
export function eventMac(macKey: Buffer, event: LedgerEvent): string {
  const { hash: _hash, [MAC_FIELD]: _mac, ...metadata } = event.metadata;
  return createHmac('sha256', macKey).update(ledgerEntry({ ...event, metadata })).digest('hex');
}

export function hasValidMac(macKey: Buffer, event: LedgerEvent): boolean {
  const given = event.metadata[MAC_FIELD];
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(eventMac(macKey, event), 'hex'));
}
