import { describe, expect, it } from '@jest/globals';
import { EMPTY_ROOT, leafHash, rootOf } from '../src/merkle.js';
import { consistencyProof, inclusionProof, verifyConsistency, verifyInclusion } from '../src/proofs.js';
import { CONSISTENCY_PROOFS, EMPTY_TREE_ROOT, INCLUSION_PROOFS, LEAF_INPUTS_HEX, ROOTS } from './fixtures/rfc6962-vectors.js';
import { inMemoryTree } from './in-memory-nodes.js';

const leaves = LEAF_INPUTS_HEX.map((hex) => leafHash(Buffer.from(hex, 'hex')));
const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));
const buf = (hexes: string[]) => hexes.map((h) => Buffer.from(h, 'hex'));

describe('RFC 6962/9162 published test vectors', () => {
  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(EMPTY_TREE_ROOT);
    expect(rootOf([]).toString('hex')).toBe(EMPTY_TREE_ROOT);
  });

  it.each(ROOTS.map((root, i) => [i + 1, root] as const))('computes the root of the first %i leaves', (size, root) => {
    expect(rootOf(leaves.slice(0, size)).toString('hex')).toBe(root);
  });

  it.each(INCLUSION_PROOFS)('builds and verifies the inclusion proof of leaf $index in a tree of $size', async ({ index, size, proof }) => {
    const tree = inMemoryTree(leaves.slice(0, size));
    expect(hex(await inclusionProof(index, size, tree.read))).toEqual(proof);
    expect(verifyInclusion(index, size, leaves[index], buf(proof), Buffer.from(ROOTS[size - 1], 'hex'))).toBe(true);
  });

  it.each(CONSISTENCY_PROOFS)('builds and verifies the consistency proof from $from to $to', async ({ from, to, proof }) => {
    const tree = inMemoryTree(leaves.slice(0, to));
    expect(hex(await consistencyProof(from, to, tree.read))).toEqual(proof);
    expect(verifyConsistency(from, to, Buffer.from(ROOTS[from - 1], 'hex'), Buffer.from(ROOTS[to - 1], 'hex'), buf(proof))).toBe(true);
  });

  it('refuses a vector proof against the wrong root, size or leaf', () => {
    const { index, size, proof } = INCLUSION_PROOFS[4];
    const root = Buffer.from(ROOTS[size - 1], 'hex');
    expect(verifyInclusion(index, size, leaves[index + 1], buf(proof), root)).toBe(false);
    expect(verifyInclusion(index, size * 2, leaves[index], buf(proof), root)).toBe(false);
    expect(verifyInclusion(index, size, leaves[index], buf(proof), Buffer.from(ROOTS[size], 'hex'))).toBe(false);
    const c = CONSISTENCY_PROOFS[3];
    expect(verifyConsistency(c.from, c.to, Buffer.from(ROOTS[c.from - 2], 'hex'), Buffer.from(ROOTS[c.to - 1], 'hex'), buf(c.proof))).toBe(false);
    expect(verifyConsistency(c.from, c.to, Buffer.from(ROOTS[c.from - 1], 'hex'), Buffer.from(ROOTS[c.to - 1], 'hex'), buf(c.proof).slice(1))).toBe(false);
  });
});
