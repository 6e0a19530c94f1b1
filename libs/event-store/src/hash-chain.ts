import { hash } from 'node:crypto';

/** The `prevHash` of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, so equal values always hash alike. Loops and string
 * concatenation rather than filter/sort/map/join: it runs over every event appended and verified.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      const item: unknown = value[i];
      text += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  let text = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (text.length > 1) text += ',';
    text += `${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}

export interface ChainedEvent {
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  /** Carries `prevHash`; any `hash` and `mac` in it are left out of the hash. */
  metadata: Record<string, unknown>;
}

/**
 * The text the chain hashes: previous hash, stream, revision, type, and canonical JSON of data and
 * metadata (less `hash`, and less `mac`: the ledger's MAC authenticates this hash, so is made after it).
 */
function hashedText(event: ChainedEvent): string {
  const { hash: _hash, mac: _mac, ...metadata } = event.metadata;
  return `${String(metadata.prevHash ?? '')}\n${event.streamId}\n${event.revision}\n${event.type}\n${canonicalJson(event.data)}\n${canonicalJson(metadata)}`;
}

/** SHA-256 of the event's hashed text (one native call over the joined text). */
export function eventHash(event: ChainedEvent): string {
  return hash('sha256', hashedText(event), 'hex');
}

/**
 * Sets `prevHash` and `hash` on the metadata of an event about to be appended; also gives the text
 * that was hashed, from which the ledger makes the event's leaf without canonicalising it again.
 */
export function chainWithText(
  event: Omit<ChainedEvent, 'metadata'> & { metadata: Record<string, unknown> },
  prevHash: string,
): { metadata: Record<string, unknown>; text: string } {
  const metadata = { ...event.metadata, prevHash };
  const text = hashedText({ ...event, metadata });
  return { metadata: { ...metadata, hash: hash('sha256', text, 'hex') }, text };
}

/** Sets `prevHash` and `hash` on the metadata of an event about to be appended. */
export function chain(event: Omit<ChainedEvent, 'metadata'> & { metadata: Record<string, unknown> }, prevHash: string): Record<string, unknown> {
  return chainWithText(event, prevHash).metadata;
}

export interface ChainVerification {
  valid: boolean;
  /** Every event of the stream, also those after a break. */
  events: number;
  firstInvalidRevision?: number;
}

/** Recomputes a stream's chain, oldest first; the first event out of place, altered or unlinked breaks it. */
export async function verifyChain(
  events: AsyncIterable<{ streamId: string; revision: number; type: string; data: unknown; metadata: Record<string, unknown> }>,
): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let expectedRevision = 0;
  let count = 0;
  let firstInvalidRevision: number | undefined;
  for await (const event of events) {
    count++;
    if (firstInvalidRevision !== undefined) continue;
    const intact = event.revision === expectedRevision && event.metadata.prevHash === expectedPrev && event.metadata.hash === eventHash(event);
    if (!intact) firstInvalidRevision = expectedRevision;
    expectedPrev = String(event.metadata.hash);
    expectedRevision++;
  }
  return firstInvalidRevision === undefined ? { valid: true, events: count } : { valid: false, events: count, firstInvalidRevision };
}
