import { describe, expect, it } from '@jest/globals';
import { chain, eventHash, GENESIS_HASH, verifyChain } from './hash-chain.js';

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

describe('event hash', () => {
  it('is the same hash that events already stored carry (a change here breaks every stored chain)', () => {
    const event = {
      streamId: 'launch-1',
      revision: 3,
      type: 'TaskCompleted',
      data: { taskId: 't-1', note: 'Signed off ✓', details: { b: 2, a: [1, null] } },
      metadata: { prevHash: 'ab'.repeat(32), actor: { id: 'u-1', name: 'Ana' }, occurredAt: '2030-01-01T00:00:00.000Z' },
    };

    expect(eventHash(event)).toBe('98b541795f81277332dc15838a69b182968b8e9f4d12632a52820479eb9c3d62');
    expect(eventHash({ ...event, metadata: { ...event.metadata, hash: 'ignored' } })).toBe(eventHash(event));
  });
});

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
