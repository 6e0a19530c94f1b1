import { foldRight, half, isOdd, nodeHash, rangeNodes, splitPoint, type NodeId } from './merkle.js';

/**
 * RFC 9162 inclusion and consistency proofs (§2.1.3, §2.1.4). Generation names the subtree ranges
 * a proof is made of (pure), then reads the perfect nodes covering them in one batch from wherever
 * the tree is kept; verification is the RFC's own algorithms.
 */

type Range = readonly [start: number, end: number];

/** PATH(m, D[start:end]): the siblings from the leaf up. */
function inclusionRanges(m: number, start: number, end: number): Range[] {
  if (end - start <= 1) return [];
  const k = splitPoint(end - start);
  return m < start + k ? [...inclusionRanges(m, start, start + k), [start + k, end]] : [...inclusionRanges(m, start + k, end), [start, start + k]];
}

/** SUBPROOF(m, D[start:end], b). */
function consistencyRanges(m: number, start: number, end: number, b: boolean): Range[] {
  const n = end - start;
  if (m === n) return b ? [] : [[start, end]];
  const k = splitPoint(n);
  return m <= k ? [...consistencyRanges(m, start, start + k, b), [start + k, end]] : [...consistencyRanges(m - k, start + k, end, false), [start, start + k]];
}

/** Reads perfect subtree hashes, in the order asked. */
export type NodeReader = (ids: readonly NodeId[]) => Promise<Buffer[]>;

async function hashesOf(ranges: readonly Range[], read: NodeReader): Promise<Buffer[]> {
  const perRange = ranges.map(([start, end]) => rangeNodes(start, end));
  const hashes = await read(perRange.flat());
  let at = 0;
  return perRange.map((ids) => foldRight(hashes.slice(at, (at += ids.length))));
}

export class ProofRangeError extends Error {}

export function inclusionProof(leafIndex: number, treeSize: number, read: NodeReader): Promise<Buffer[]> {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new ProofRangeError(`leafIndex must be below treeSize (${leafIndex} ≥ ${treeSize})`);
  return hashesOf(inclusionRanges(leafIndex, 0, treeSize), read);
}

export function consistencyProof(from: number, to: number, read: NodeReader): Promise<Buffer[]> {
  if (!(from >= 0 && from <= to)) throw new ProofRangeError(`from must not exceed to (${from} > ${to})`);
  if (from === 0 || from === to) return Promise.resolve([]);
  return hashesOf(consistencyRanges(from, 0, to, true), read);
}

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Buffer, proof: readonly Buffer[], root: Buffer): boolean {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

const isPowerOfTwo = (n: number): boolean => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** RFC 9162 §2.1.4.2; an empty tree is consistent with every tree. */
export function verifyConsistency(first: number, second: number, firstRoot: Buffer, secondRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!(first >= 0 && first <= second)) return false;
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
