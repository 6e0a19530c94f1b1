import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { extend, leafHash, nodeHash, rootOf, splitPoint } from '../src/merkle.js';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from '../src/proofs.js';
import { inMemoryTree } from './in-memory-nodes.js';

/** RFC 9162 MTH written as the RFC states it, to check the incremental tree against. */
function referenceRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const entries = fc.array(fc.uint8Array({ maxLength: 12 }), { minLength: 1, maxLength: 70 });
const RUNS = { numRuns: 60 };

/** A tree plus a leaf index and two sizes inside it. */
const treeWithPoints = entries.chain((list) =>
  fc.record({
    leaves: fc.constant(list.map((e) => leafHash(e))),
    index: fc.nat(list.length - 1),
    from: fc.integer({ min: 1, max: list.length }),
  }),
);

describe('Merkle tree properties', () => {
  it('hashes an entry given as text exactly as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        expect(leafHash(text)).toEqual(leafHash(Buffer.from(text, 'utf8')));
      }),
      RUNS,
    );
  });

  it('hashes a node as SHA-256 of 0x01 ‖ left ‖ right, whatever the lengths and the calls before', () => {
    const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(fc.oneof(hash32, fc.uint8Array({ maxLength: 40 })), fc.oneof(hash32, fc.uint8Array({ maxLength: 40 })), (left, right) => {
        const expected = createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
        expect(nodeHash(left, right)).toEqual(expected);
        expect(nodeHash(right, left)).toEqual(createHash('sha256').update(Buffer.of(0x01)).update(right).update(left).digest());
      }),
      RUNS,
    );
  });

  it('grows incrementally to the RFC reference root, however the appends are split', () => {
    fc.assert(
      fc.property(entries, fc.nat(70), (list, cut) => {
        const leaves = list.map((e) => leafHash(e));
        const at = Math.min(cut, leaves.length);
        const first = extend(0, [], leaves.slice(0, at));
        const second = extend(at, first.frontier, leaves.slice(at));
        expect(second.root).toEqual(referenceRoot(leaves));
        expect(rootOf(leaves)).toEqual(referenceRoot(leaves));
      }),
      RUNS,
    );
  });

  it('verifies every inclusion proof, and no proof once any leaf changed', async () => {
    await fc.assert(
      fc.asyncProperty(treeWithPoints, fc.nat(), async ({ leaves, index }, changedByte) => {
        const tree = inMemoryTree(leaves);
        const proof = await inclusionProof(index, leaves.length, tree.read);
        expect(verifyInclusion(index, leaves.length, leaves[index], proof, tree.root)).toBe(true);
        const altered = Buffer.from(leaves[index]);
        altered[changedByte % altered.length] ^= 0x01;
        expect(verifyInclusion(index, leaves.length, altered, proof, tree.root)).toBe(false);
      }),
      RUNS,
    );
  });

  it('verifies every consistency proof, and none once a leaf of the older tree changed', async () => {
    await fc.assert(
      fc.asyncProperty(treeWithPoints, async ({ leaves, from, index }) => {
        const to = leaves.length;
        const tree = inMemoryTree(leaves);
        const proof = await consistencyProof(from, to, tree.read);
        expect(verifyConsistency(from, to, tree.rootAt(from), tree.root, proof)).toBe(true);
        const rewritten = [...leaves];
        const at = index % from;
        rewritten[at] = leafHash(Buffer.concat([Buffer.from('changed'), leaves[at]]));
        // The older tree as it was, against the newer one rebuilt over a rewritten past: refused.
        const forged = inMemoryTree(rewritten);
        const forgedProof = await consistencyProof(from, to, forged.read);
        expect(verifyConsistency(from, to, tree.rootAt(from), forged.root, forgedProof)).toBe(false);
      }),
      RUNS,
    );
  });
});
