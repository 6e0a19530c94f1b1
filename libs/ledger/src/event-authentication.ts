import { createHash, createHmac, hash as sha, timingSafeEqual, type KeyObject } from 'node:crypto';
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
 * The leaf of an event: the hash of its entry, its canonical bytes with every stored field,
 * hash-chain fields and MAC included: `launch-control/ledger/entry/v1 \n eventId \n hash \n mac \n chainText`.
 */
const entryLeaf = (eventId: string, hash: string, mac: string, text: string): Buffer =>
  leafHash(`launch-control/ledger/entry/v1\n${eventId}\n${hash}\n${mac}\n${text}`);

export const eventLeafHash = (event: LedgerEvent): Buffer => entryLeaf(event.eventId, field(event, 'hash'), field(event, MAC_FIELD), chainText(event));

/**
 * Authenticates an event about to be appended: sets its MAC and returns its Merkle leaf, made from
 * its chain text at hand (chainWithText), so the appending process can hand the leaf to its keeper
 * without anything being canonicalised twice.
 */
export function sealEvent(macKey: Buffer, event: UnsealedEvent, text: string): Buffer {
  return entryLeaf(event.eventId, String(event.metadata.hash), macEvent(macKey, event), text);
}

type UnsealedEvent = { eventId: string; metadata: Record<string, unknown> };

/**
 * Authenticates an append's events: sets each one's MAC and, given their chain texts, returns their
 * leaves in order; without texts (no keeper in this process takes leaves), none.
 */
export function sealEvents(macKey: Buffer, events: readonly UnsealedEvent[], texts: readonly string[] | undefined): Buffer[] {
  if (!texts) {
    for (const event of events) macEvent(macKey, event);
    return [];
  }
  return events.map((event, i) => sealEvent(macKey, event, texts[i]!));
}

/** Authenticates an event about to be appended: sets its MAC (and returns it). */
export function macEvent(macKey: Buffer, event: UnsealedEvent): string {
  const mac = eventMac(macKey, event.eventId, String(event.metadata.hash));
  event.metadata[MAC_FIELD] = mac;
  return mac;
}

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
  const hash = field(event, 'hash');
  const leaf = entryLeaf(event.eventId, hash, field(event, MAC_FIELD), text);
  if (sha('sha256', text, 'hex') !== hash) return { authenticity: 'altered', leaf };
  if (adopted) return { authenticity: 'authentic', leaf };
  const given = field(event, MAC_FIELD);
  const valid = /^[0-9a-f]{64}$/.test(given) && timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(eventMac(macKey, event.eventId, hash), 'hex'));
  return { authenticity: valid ? 'authentic' : 'unauthenticated', leaf };
}
