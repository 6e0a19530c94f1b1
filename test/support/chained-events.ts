import { randomUUID } from 'node:crypto';
import { chain, type EventStore, type EventToAppend } from '#event-store';
import { eventMac, MAC_FIELD } from '#ledger';

/**
 * Appends `count` events to a new stream the way the API writes them: hash-chained, each MACed with
 * the ledger key's MAC key (so a ledger keeper takes them into its tree).
 */
export async function appendChainedEvents(
  events: Pick<EventStore, 'append'>,
  macKey: Buffer,
  count: number,
  { type = 'T', actor = { id: 'p' } }: { type?: string; actor?: Record<string, unknown> } = {},
): Promise<void> {
  const streamId = `launch-${randomUUID()}`;
  let prevHash = '0'.repeat(64);
  const batch: EventToAppend[] = [];
  for (let revision = 0; revision < count; revision++) {
    const eventId = randomUUID();
    const data = { revision };
    const metadata = chain({ streamId, revision, type, data, metadata: { actor } }, prevHash);
    metadata[MAC_FIELD] = eventMac(macKey, eventId, String(metadata.hash));
    prevHash = String(metadata.hash);
    batch.push({ eventId, type, data, metadata });
  }
  await events.append(streamId, batch, 'no_stream');
}

/** Reads until `ok` holds or `timeoutMs` has passed (bounded), answering the last value read. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
