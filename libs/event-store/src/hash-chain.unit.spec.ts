import { describe, expect, it } from '@jest/globals';
import { chain, GENESIS_HASH, verifyChain } from './hash-chain.js';

type Stored = { streamId: string; revision: number; type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };

function chained(count: number): Stored[] {
  const events: Stored[] = [];
  let prev = GENESIS_HASH;
  for (let revision = 0; revision < count; revision++) {
    const event = { streamId: 'launch-1', revision, type: 'TaskBlocked', data: { taskId: 't', reason: `r${revision}` } };
    const metadata = chain({ ...event, metadata: { occurredAt: '2030-01-01T00:00:00.000Z' } }, prev);
    prev = String(metadata.hash);
    events.push({ ...event, metadata });
  }
  return events;
}

const iterate = async function* (events: Stored[]) {
  yield* events;
};

describe('hash chain verification', () => {
  it('finds an untouched chain valid and counts its events', async () => {
    expect(await verifyChain(iterate(chained(5)))).toEqual({ valid: true, events: 5 });
  });

  it('names the first altered revision and still counts every event of the stream', async () => {
    const events = chained(5);
    events[2] = { ...events[2]!, data: { taskId: 't', reason: 'forged' } };
    expect(await verifyChain(iterate(events))).toEqual({ valid: false, events: 5, firstInvalidRevision: 2 });
  });

  it('notices a removed event at the revision it leaves empty', async () => {
    const events = chained(5);
    events.splice(1, 1);
    expect(await verifyChain(iterate(events))).toEqual({ valid: false, events: 4, firstInvalidRevision: 1 });
  });
});
