import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { chainWithText, GENESIS_HASH, type EventToAppend } from '#event-store';
import { eventLeafHash, inspectEvent, MAC_FIELD } from '#ledger';
import { AppendSealing } from './append-sealing.js';

function unsealed(streamId: string, revision: number): { event: EventToAppend; text: string } {
  const data = { taskId: 't-1', note: 'ü "quoted"' };
  const { metadata, text } = chainWithText({ streamId, revision, type: 'TaskCompleted', data, metadata: { actor: { id: 'p' } } }, GENESIS_HASH);
  return { event: { eventId: randomUUID(), type: 'TaskCompleted', data, metadata }, text };
}

describe('AppendSealing', () => {
  it("MACs every append queued in one turn together, each event authentic and its leaf the stored event's", async () => {
    const macKey = randomBytes(32);
    const sealing = new AppendSealing(macKey);
    const a = unsealed('launch-a', 0);
    const b = unsealed('launch-b', 0);
    const sealed = [sealing.seal([a.event], [a.text]), sealing.seal([b.event], [b.text])];
    expect(a.event.metadata[MAC_FIELD]).toBeUndefined(); // not before the turn's end
    const [[leafA], [leafB]] = await Promise.all(sealed);
    for (const [{ event }, leaf, streamId] of [
      [a, leafA, 'launch-a'],
      [b, leafB, 'launch-b'],
    ] as const) {
      const stored = { ...event, streamId, revision: 0, metadata: JSON.parse(JSON.stringify(event.metadata)) as Record<string, unknown> };
      expect(inspectEvent(macKey, stored).authenticity).toBe('authentic');
      expect(leaf.equals(eventLeafHash(stored))).toBe(true);
    }
    expect(inspectEvent(randomBytes(32), { ...a.event, streamId: 'launch-a', revision: 0 }).authenticity).toBe('unauthenticated');
  });

  it('MACs alike but makes no leaves where no keeper takes them (another process keeps the tree)', async () => {
    const macKey = randomBytes(32);
    const { event } = unsealed('launch-c', 0);
    expect(await new AppendSealing(macKey).seal([event], undefined)).toEqual([]);
    expect(inspectEvent(macKey, { ...event, streamId: 'launch-c', revision: 0 }).authenticity).toBe('authentic');
  });
});
