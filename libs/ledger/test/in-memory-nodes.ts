import { extend, type NodeId } from '../src/merkle.js';
import type { NodeReader } from '../src/proofs.js';

/** Every perfect node of a tree, kept in a map: the simplest NodeReader, for tests. */
export function inMemoryTree(leafHashes: readonly Buffer[]): { read: NodeReader; root: Buffer; rootAt(size: number): Buffer } {
  const { nodes, root } = extend(0, [], leafHashes);
  const byId = new Map(nodes.map((n) => [`${n.level}/${n.index}`, n.hash]));
  const read: NodeReader = async (ids: readonly NodeId[]) =>
    ids.map((id) => {
      const hash = byId.get(`${id.level}/${id.index}`);
      if (!hash) throw new Error(`no node ${id.level}/${id.index}`);
      return hash;
    });
  return { read, root, rootAt: (size) => extend(0, [], leafHashes.slice(0, size)).root };
}
