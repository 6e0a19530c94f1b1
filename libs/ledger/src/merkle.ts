import { createHash, hash } from 'node:crypto';

/**
 * RFC 9162 §2.1 Merkle tree hashing (SHA-256): a leaf is H(0x00 ‖ entry), an interior node
 * H(0x01 ‖ left ‖ right), the empty tree H(""). A tree of n leaves splits at the largest power of
 * two below n. Its nodes are stored as *perfect* subtrees: the node (level, index) covers leaves
 * [index·2^level, (index+1)·2^level); every other subtree hash is combined from those.
 */

export interface NodeId {
  level: number;
  index: number;
}

export interface StoredNode extends NodeId {
  hash: Buffer;
}

/** Bytes of a SHA-256 hash: every leaf and node. */
export const HASH_BYTES = 32;

export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

// One-shot hashes of the joined bytes: one native call each, where the keeper makes one per leaf and node.
/** An entry given as text is hashed as its UTF-8 bytes (U+0000 is the byte 0x00), without a Buffer of it first. */
export function leafHash(entry: Uint8Array | string): Buffer {
  return hash('sha256', typeof entry === 'string' ? `\u0000${entry}` : Buffer.concat([LEAF_PREFIX, entry]), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  // Two hashes copied into one reused buffer: no allocation per node, where the keeper makes one per leaf.
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_BYTES);
  return hash('sha256', NODE_INPUT, 'buffer');
}

const LEAF_PREFIX = Buffer.of(0x00);
const NODE_PREFIX = Buffer.of(0x01);
const NODE_INPUT = Buffer.concat([NODE_PREFIX, Buffer.alloc(2 * HASH_BYTES)]);

// Arithmetic rather than bit operators: tree sizes may pass 2^31.
const pow2 = (level: number): number => 2 ** level;
export const half = (n: number): number => Math.floor(n / 2);
export const isOdd = (n: number): boolean => n % 2 === 1;

/** The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up the range [start, end), largest first. For the ranges RFC 9162's
 * recursion produces (start a multiple of a power of two not below the range's length) their hashes,
 * folded from the right with nodeHash, are the range's tree hash.
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while (at % pow2(level + 1) === 0 && at + pow2(level + 1) <= end) level++;
    ids.push({ level, index: at / pow2(level) });
    at += pow2(level);
  }
  return ids;
}

/** The perfect subtrees a tree of `size` leaves is made of (its compact range), left to right. */
export const frontierNodes = (size: number): NodeId[] => rangeNodes(0, size);

/** Folds subtree hashes, left to right, into the hash of the tree they make up. */
export function foldRight(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i], root);
  return root;
}

export interface Extension {
  /** Every perfect subtree the new leaves complete, the leaves themselves included (level 0). */
  nodes: StoredNode[];
  /** The new tree's compact range (hashes of frontierNodes(size + leaves)). */
  frontier: Buffer[];
  root: Buffer;
}

/** Appends leaf hashes to a tree known by its size and compact range, as CT's compact Merkle tree does. */
export function extend(size: number, frontier: readonly Buffer[], leafHashes: readonly Buffer[]): Extension {
  const ids = frontierNodes(size);
  if (ids.length !== frontier.length) throw new Error(`a tree of ${size} leaves has ${ids.length} frontier hashes, got ${frontier.length}`);
  const stack: StoredNode[] = ids.map((id, i) => ({ ...id, hash: frontier[i] }));
  const nodes: StoredNode[] = [];
  leafHashes.forEach((hash, i) => {
    let node: StoredNode = { level: 0, index: size + i, hash };
    nodes.push(node);
    while (stack.length > 0 && stack[stack.length - 1].level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: half(node.index), hash: nodeHash(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
  });
  const hashes = stack.map((node) => node.hash);
  return { nodes, frontier: hashes, root: foldRight(hashes) };
}

/** The tree hash of a list of leaf hashes. */
export const rootOf = (leafHashes: readonly Buffer[]): Buffer => extend(0, [], leafHashes).root;
