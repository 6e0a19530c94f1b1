import { HASH_BYTES, rootOf, type NodeId, type StoredNode } from './merkle.js';

/**
 * The tree stored as tiles, the layout of transparency-dev's tlog tiles (and Trillian Tessera): a
 * tile holds up to 256 consecutive hashes of one stored level, and only every eighth level is
 * stored (0, 8, 16, …). A node between them is folded from the 2^r hashes of the stored level
 * below it, all in one tile. Per leaf that stores 32 bytes and about 1/255 of a hash more, where
 * a row per node stored two rows and two index entries.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileId {
  /** A stored level: a multiple of TILE_HEIGHT. */
  level: number;
  index: number;
}

/** Where a node's hash comes from: `count` hashes of `tile` from slot `from` on, folded (count 1: the hash itself). */
export interface TileSlice {
  tile: TileId;
  from: number;
  count: number;
}

export const isStoredLevel = (level: number): boolean => level % TILE_HEIGHT === 0;

export function tileSliceOf({ level, index }: NodeId): TileSlice {
  const above = level % TILE_HEIGHT;
  const count = 2 ** above;
  const first = index * count;
  return { tile: { level: level - above, index: Math.floor(first / TILE_WIDTH) }, from: first % TILE_WIDTH, count };
}

/** The i-th of the 32-byte hashes packed in `bytes` (a view, not a copy). */
export const hashAt = (bytes: Uint8Array, i: number): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset + i * HASH_BYTES, HASH_BYTES);

/** The hash of the perfect subtree over `count` (a power of two) consecutive hashes at `from` in `hashes`. */
export function foldTileSlice(hashes: Uint8Array, from: number, count: number): Buffer {
  return Buffer.from(rootOf(Array.from({ length: count }, (_, i) => hashAt(hashes, from + i))));
}

/** New hashes for one tile: slots `from` … `from + hashes.length` (the tile's earlier slots are stored already). */
export interface TileGrowth {
  tile: TileId;
  from: number;
  hashes: Buffer[];
}

/**
 * The tile writes of an extension: its nodes on stored levels, grouped by tile. The nodes of one
 * level must follow one another (an extension completes them left to right).
 */
export function tileGrowths(nodes: readonly StoredNode[]): TileGrowth[] {
  const growths = new Map<string, TileGrowth>();
  for (const node of nodes) {
    if (!isStoredLevel(node.level)) continue;
    const tile = { level: node.level, index: Math.floor(node.index / TILE_WIDTH) };
    const key = `${tile.level}/${tile.index}`;
    const slot = node.index % TILE_WIDTH;
    const growth = growths.get(key);
    if (!growth) growths.set(key, { tile, from: slot, hashes: [node.hash] });
    else if (growth.from + growth.hashes.length === slot) growth.hashes.push(node.hash);
    else throw new Error(`tile ${key}: node ${node.index} does not follow slot ${growth.from + growth.hashes.length - 1}`);
  }
  return [...growths.values()];
}
