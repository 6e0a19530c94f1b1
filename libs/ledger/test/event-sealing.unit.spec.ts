import { describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chainText, eventLeafHash, inspectEvent, MAC_FIELD, sealEvents, type LedgerEvent } from '../src/event-authentication.js';

/** An event as the command path hands it to the store: chained (its `hash` over its chain text), not yet MACed. */
function unsealed(streamId: string, revision: number): { event: LedgerEvent; text: string } {
  const event: LedgerEvent = {
    streamId,
    revision,
    eventId: randomUUID(),
    type: 'TaskCompleted',
    data: { taskId: 't-1', note: 'ü "quoted"' },
    metadata: { actor: { id: 'p' }, prevHash: '0'.repeat(64) },
  };
  const text = chainText(event);
  event.metadata.hash = createHash('sha256').update(text).digest('hex');
  return { event, text };
}

/** The event as a reader gets it back from the store: its metadata through JSON. */
const stored = (event: LedgerEvent): LedgerEvent => ({ ...event, metadata: JSON.parse(JSON.stringify(event.metadata)) as Record<string, unknown> });

describe('sealEvents', () => {
  it("MACs every event of an append, each authentic as stored, and returns each one's leaf in order", () => {
    const macKey = randomBytes(32);
    const events = [unsealed('launch-a', 0), unsealed('launch-a', 1)];

    const leaves = sealEvents(
      macKey,
      events.map((e) => e.event),
      events.map((e) => e.text),
    );

    expect(leaves).toHaveLength(2);
    events.forEach(({ event }, i) => {
      expect(event.metadata[MAC_FIELD]).toMatch(/^[0-9a-f]{64}$/);
      expect(inspectEvent(macKey, stored(event)).authenticity).toBe('authentic');
      expect(leaves[i]!.equals(eventLeafHash(stored(event)))).toBe(true);
    });
    expect(inspectEvent(randomBytes(32), stored(events[0]!.event)).authenticity).toBe('unauthenticated');
  });

  it('MACs alike but makes no leaves without chain texts (another process keeps the tree)', () => {
    const macKey = randomBytes(32);
    const { event } = unsealed('launch-c', 0);

    expect(sealEvents(macKey, [event], undefined)).toEqual([]);
    expect(inspectEvent(macKey, stored(event)).authenticity).toBe('authentic');
  });
});
