import type { NodeId, StoredNode } from './merkle.js';
import type { SignedHead } from './signed-head.js';

/** Where the tree is after its last extension. */
export interface TreeState {
  size: number;
  /** Hashes of frontierNodes(size). */
  frontier: Buffer[];
  /** The global positions of the last two leaves (the last one first), to read on from. */
  lastPositions: number[];
  /** Hash of the last leaf, to notice that the event under it changed. */
  lastLeafHash?: Buffer;
  head?: SignedHead;
}

export interface TreeExtension {
  /** The size the tree had when the extension was computed: it is written only onto that size. */
  expectedSize: number;
  /** The new leaves' global positions, in leaf order. */
  positions: number[];
  nodes: StoredNode[];
  head: SignedHead;
}

/**
 * The port the Merkle tree is kept behind (embedded: a SQLite file in DATA_DIR; production:
 * MongoDB). An extension is all or nothing and lands only on the size it was computed from, so
 * two extenders racing cannot make the tree diverge: the second one's write is refused.
 */
export interface LedgerStore {
  state(): Promise<TreeState>;
  /** Writes the extension; false (nothing written) when the tree no longer has `expectedSize` leaves. */
  extend(extension: TreeExtension): Promise<boolean>;
  nodes(ids: readonly NodeId[]): Promise<Buffer[]>;
  latestHead(): Promise<SignedHead | undefined>;
  /** The leaf index of each of these global positions that is in the tree. */
  leafIndexes(positions: readonly number[]): Promise<Map<number, number>>;
  close(): Promise<void>;
}

export class MissingNodeError extends Error {}
