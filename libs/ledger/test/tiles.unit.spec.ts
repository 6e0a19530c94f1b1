import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { extend, HASH_BYTES, leafHash } from '../src/merkle.js';
import { foldTileSlice, tileGrowths, tileSliceOf, TILE_WIDTH } from '../src/tiles.js';

/** The tiles an extension from the empty tree writes, each the concatenation of its hashes. */
function tilesOf(count: number): Map<string, Buffer> {
  const leaves = Array.from({ length: count }, (_, i) => leafHash(`entry ${i}`));
  const tiles = new Map<string, Buffer>();
  for (const { tile, from, hashes } of tileGrowths(extend(0, [], leaves).nodes)) {
    const key = `${tile.level}/${tile.index}`;
    tiles.set(key, Buffer.concat([tiles.get(key) ?? Buffer.alloc(0), ...hashes]));
    expect(tiles.get(key)!.length).toBe((from + hashes.length) * HASH_BYTES);
  }
  return tiles;
}

describe('tiles', () => {
  it('keep every eighth level, and fold every node between them back from the level below', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * TILE_WIDTH + 7 }), (count) => {
        const leaves = Array.from({ length: count }, (_, i) => leafHash(`entry ${i}`));
        const tiles = tilesOf(count);
        expect([...tiles.keys()].every((key) => key.startsWith('0/') || key.startsWith('8/'))).toBe(true);
        for (const node of extend(0, [], leaves).nodes) {
          const { tile, from, count: width } = tileSliceOf(node);
          expect(foldTileSlice(tiles.get(`${tile.level}/${tile.index}`)!, from, width)).toEqual(node.hash);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('refuses an extension whose nodes of a level skip a slot', () => {
    const { nodes } = extend(0, [], [leafHash('a'), leafHash('b'), leafHash('c')]);
    const leavesOnly = nodes.filter((node) => node.level === 0);
    expect(() => tileGrowths([leavesOnly[0], leavesOnly[2]])).toThrow(/does not follow/);
  });
});
