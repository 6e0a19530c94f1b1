import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import {
  consistencyProof,
  eventLeafHash,
  extend,
  inclusionProof,
  keyIdOf,
  leafHash,
  macKeyOf,
  MissingNodeError,
  rootOf,
  signHead,
  verifyConsistency,
  verifyHead,
  verifyInclusion,
  type LedgerStore,
} from '#ledger';
import { LedgerKeeper } from '#platform';
import { appendChainedEvents } from '../support/chained-events.js';

export interface LedgerStoreFixture {
  store: LedgerStore;
  /** A second handle on the same tree (another process). */
  other(): Promise<LedgerStore>;
  cleanup(): Promise<void>;
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const leaves = (from: number, count: number) => Array.from({ length: count }, (_, i) => leafHash(Buffer.from(`event ${from + i}`)));

/** The extension a keeper would write: `count` more leaves onto the tree as `store` holds it. */
async function extension(store: LedgerStore, count: number, firstPosition = 1) {
  const state = await store.state();
  const hashes = leaves(state.size, count);
  const { nodes, root } = extend(state.size, state.frontier, hashes);
  const treeSize = state.size + count;
  return {
    expectedSize: state.size,
    positions: hashes.map((_, i) => firstPosition + (state.size + i) * 2),
    nodes,
    head: signHead({ treeSize, rootHash: root.toString('hex'), timestamp: new Date().toISOString(), keyId: keyIdOf(publicKey) }, privateKey),
  };
}

/** One suite, every adapter of the port (DESIGN rule 6). */
export function ledgerStoreContract(name: string, open: () => Promise<LedgerStoreFixture>): void {
  describe(`LedgerStore contract: ${name}`, () => {
    let fixture: LedgerStoreFixture;
    const opened: LedgerStore[] = [];
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await fixture.store.close();
      await fixture.cleanup();
    });

    it('starts empty, then holds each extension: its head, frontier, leaves and last positions', async () => {
      expect(await fixture.store.state()).toMatchObject({ size: 0, frontier: [], lastPositions: [] });
      expect(await fixture.store.latestHead()).toBeUndefined();
      const first = await extension(fixture.store, 5);
      expect(await fixture.store.extend(first)).toBe(true);
      const second = await extension(fixture.store, 6);
      expect(await fixture.store.extend(second)).toBe(true);
      const state = await fixture.store.state();
      expect(state.size).toBe(11);
      expect(state.head).toEqual(second.head);
      expect(extend(11, state.frontier, []).root.toString('hex')).toBe(second.head.rootHash);
      expect(state.lastPositions).toEqual([1 + 10 * 2, 1 + 9 * 2]);
      expect(state.lastLeafHash).toEqual(leaves(10, 1)[0]);
      expect(
        await fixture.store.nodes([
          { level: 0, index: 3 },
          { level: 3, index: 0 },
        ]),
      ).toEqual([leaves(3, 1)[0], extend(0, [], leaves(0, 8)).root]);
      expect(await fixture.store.leafIndexes([1, 5, 2, 21])).toEqual(
        new Map([
          [1, 0],
          [5, 2],
          [21, 10],
        ]),
      );
    });

    it('refuses an extension computed on a size the tree no longer has, writing nothing', async () => {
      const other = await fixture.other();
      opened.push(other);
      const mine = await extension(fixture.store, 3);
      const theirs = await extension(other, 3);
      expect(await other.extend(theirs)).toBe(true);
      expect(await fixture.store.extend(mine)).toBe(false);
      expect((await fixture.store.state()).size).toBe(3);
      const stale = { ...(await extension(fixture.store, 2)), expectedSize: 1 };
      expect(await fixture.store.extend(stale)).toBe(false);
      expect((await fixture.store.latestHead())!.treeSize).toBe(3);
    });

    it('signs the empty tree once', async () => {
      const empty = await extension(fixture.store, 0);
      expect(await fixture.store.extend(empty)).toBe(true);
      expect(await fixture.store.extend(await extension(fixture.store, 0))).toBe(false);
      expect(await fixture.store.latestHead()).toEqual(empty.head);
    });

    it('holds what a LedgerKeeper keeps over a log: heads that prove it, in batches, with proofs read from the store', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ledger-contract-log-'));
      const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
      try {
        const key = { privateKey, publicKey, keyId: keyIdOf(publicKey), macKey: macKeyOf(privateKey), adoptedThrough: 0 };
        const append = (count: number) => appendChainedEvents(events, key.macKey, count);
        const keeper = new LedgerKeeper(events, fixture.store, key, { log: { log: () => undefined, error: () => undefined }, maxLeavesPerHead: 4 });
        await append(6);
        expect([await keeper.step(), await keeper.step()]).toEqual(['extended', 'idle']);
        const first = (await fixture.store.latestHead())!;
        await append(5);
        while ((await keeper.step()) === 'extended');
        const head = (await fixture.store.latestHead())!;

        const leaves: Buffer[] = [];
        for await (const event of events.readAll()) leaves.push(eventLeafHash(event));
        expect([first.treeSize, head.treeSize]).toEqual([6, 11]);
        expect(head.rootHash).toBe(rootOf(leaves).toString('hex'));
        expect(verifyHead(head, publicKey)).toBe(true);
        const nodes = (ids: Parameters<LedgerStore['nodes']>[0]) => fixture.store.nodes(ids);
        const root = (h: typeof head) => Buffer.from(h.rootHash, 'hex');
        expect(verifyConsistency(6, 11, root(first), root(head), await consistencyProof(6, 11, nodes))).toBe(true);
        expect(verifyInclusion(7, 11, leaves[7]!, await inclusionProof(7, 11, nodes), root(head))).toBe(true);
      } finally {
        await events.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('serves every node, the frontier and positions of a tree past the second stored level of tiles', async () => {
      // 70,000 leaves: complete level-8 and level-16 tiles, partial ones above, and a position gap mid-tile.
      const sizes = [1, 254, 300, 65_000, 4_445];
      const all = leaves(
        0,
        sizes.reduce((a, b) => a + b),
      );
      const positionOf = (leaf: number) => 10 + leaf + (leaf >= 500 ? 7 : 0);
      let size = 0;
      for (const count of sizes) {
        const state = await fixture.store.state();
        const { nodes, root } = extend(state.size, state.frontier, all.slice(size, size + count));
        const head = signHead(
          { treeSize: size + count, rootHash: root.toString('hex'), timestamp: new Date().toISOString(), keyId: keyIdOf(publicKey) },
          privateKey,
        );
        const positions = Array.from({ length: count }, (_, i) => positionOf(size + i));
        expect(await fixture.store.extend({ expectedSize: size, positions, nodes, head })).toBe(true);
        size += count;
      }
      const every = extend(0, [], all).nodes;
      const sample = every.filter((node, i) => i % 97 === 0 || node.level >= 7);
      expect(await fixture.store.nodes(sample)).toEqual(sample.map((node) => node.hash));
      const state = await fixture.store.state();
      expect([state.size, state.lastPositions, state.lastLeafHash]).toEqual([70_000, [positionOf(69_999), positionOf(69_998)], all[69_999]]);
      expect(extend(size, state.frontier, []).root).toEqual(rootOf(all));
      expect(await fixture.store.leafIndexes([9, 10, 509, 510, 516, 517, positionOf(69_999), positionOf(69_999) + 1])).toEqual(
        new Map([
          [10, 0],
          [509, 499],
          [517, 500],
          [positionOf(69_999), 69_999],
        ]),
      );
      const nodes = (ids: Parameters<LedgerStore['nodes']>[0]) => fixture.store.nodes(ids);
      const root = rootOf(all);
      expect(verifyInclusion(65_536, size, all[65_536]!, await inclusionProof(65_536, size, nodes), root)).toBe(true);
      expect(verifyConsistency(255, size, rootOf(all.slice(0, 255)), root, await consistencyProof(255, size, nodes))).toBe(true);
      await expect(fixture.store.nodes([{ level: 17, index: 0 }])).rejects.toThrow(MissingNodeError);
    });

    it('says which node is missing', async () => {
      await expect(fixture.store.nodes([{ level: 0, index: 0 }])).rejects.toThrow(MissingNodeError);
    });
  });
}
