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

/**
 * The text the hash chain hashes (libs/event-store eventHash): previous hash, stream, revision,
 * type, canonical data, canonical metadata less `hash` and `mac`.
 */
export function chainText(event: LedgerEvent): string {
  const { hash: _hash, [MAC_FIELD]: _mac, ...metadata } = event.metadata;
  return `${String(metadata.prevHash ?? '')}\n${event.streamId}\n${event.revision}\n${event.type}\n${canonicalJson(event.data)}\n${canonicalJson(metadata)}`;
}

const field = (event: LedgerEvent, name: string): string => (typeof event.metadata[name] === 'string' ? (event.metadata[name] as string) : '');

/**
 * The leaf entry of an event: its canonical bytes, every stored field, hash-chain fields and MAC
 * included: `launch-control/ledger/entry/v1 \n eventId \n hash \n mac \n chainText`.
 */
export function ledgerEntry(event: LedgerEvent, text = chainText(event)): Buffer {
  return Buffer.from(`launch-control/ledger/entry/v1\n${event.eventId}\n${field(event, 'hash')}\n${field(event, MAC_FIELD)}\n${text}`, 'utf8');
}

export const eventLeafHash = (event: LedgerEvent): Buffer => leafHash(ledgerEntry(event));

/**
 * The key that MACs events at append, derived from the ledger's private key so every process
 * holding that key authenticates alike, and nothing without it can.
 */
export function macKeyOf(privateKey: KeyObject): Buffer {
  return createHash('sha256')
    .update('launch-control/ledger/event-mac/v1\n')
    .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
    .digest();
}

/** HMAC-SHA256 over the event's id and chain hash; the hash covers everything else, so check it too (inspectEvent). */
export function eventMac(macKey: Buffer, eventId: string, hash: string): string {
  return createHmac('sha256', macKey).update(`${eventId}\n${hash}`).digest('hex');
}

export type Authenticity = 'authentic' | 'altered' | 'unauthenticated';

export interface Inspection {
  /** `altered`: it no longer hashes to its own `hash`; `unauthenticated`: the server's key did not MAC it. */
  authenticity: Authenticity;
  leaf: Buffer;
}

/** Checks an event's hash and MAC and computes its leaf, canonicalising it once. `adopted`: from before the key, no MAC needed. */
export function inspectEvent(macKey: Buffer, event: LedgerEvent, adopted = false): Inspection {
  const text = chainText(event);
  const leaf = leafHash(ledgerEntry(event, text));
  const hash = field(event, 'hash');
  if (createHash('sha256').update(text).digest('hex') !== hash) return { authenticity: 'altered', leaf };
  if (adopted) return { authenticity: 'authentic', leaf };
  const given = field(event, MAC_FIELD);
  const valid = /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(eventMac(macKey, event.eventId, hash), 'hex'));
  return { authenticity: valid ? 'authentic' : 'unauthenticated', leaf };
}
