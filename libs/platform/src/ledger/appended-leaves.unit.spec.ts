import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppendedLeaves, type HandedLeaves } from './appended-leaves.js';

const leaf = (n: number): Buffer => Buffer.alloc(32, n);

describe('AppendedLeaves', () => {
  it('hands the leaves of the appends made within its interval over as one batch, in order, and only then', async () => {
    const batches: HandedLeaves[] = [];
    const handOver = new AppendedLeaves(200);
    handOver.attach((batch) => batches.push(batch));
    handOver.appended(10, [leaf(1), leaf(2)]);
    await sleep(1);
    handOver.appended(12, [leaf(3)]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(0);
    await sleep(400);
    expect(batches).toHaveLength(1);
    expect(batches[0].positions).toEqual([10, 11, 12]);
    expect(Buffer.from(batches[0].leaves)).toEqual(Buffer.concat([leaf(1), leaf(2), leaf(3)]));
    handOver.appended(13, [leaf(4)]);
    await sleep(400);
    expect(batches.map((b) => b.positions)).toEqual([[10, 11, 12], [13]]);
  });

  it('collects nothing without a keeper, and drops what was pending when its keeper leaves', async () => {
    const batches: HandedLeaves[] = [];
    const sink = (batch: HandedLeaves): number => batches.push(batch);
    const handOver = new AppendedLeaves(10);
    expect(handOver.collecting).toBe(false);
    handOver.appended(1, [leaf(1)]);
    handOver.attach(sink);
    expect(handOver.collecting).toBe(true);
    handOver.appended(2, [leaf(2)]);
    handOver.detach(sink);
    await sleep(40);
    expect(batches).toHaveLength(0);
  });
});
