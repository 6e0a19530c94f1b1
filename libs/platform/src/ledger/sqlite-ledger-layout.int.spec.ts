import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { extend, keyIdOf, leafHash, signHead, type SignedHead } from '#ledger';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const LEAVES = 70_000;
const leaves = Array.from({ length: LEAVES }, (_, i) => leafHash(`event ${i}`));
// A gap in the log's positions (an append that never committed) after leaf 999.
const positionOf = (leaf: number): number => 1 + leaf + (leaf >= 1000 ? 3 : 0);

/** A ledger.sqlite as the server wrote it before tiles: a row per leaf and a row per perfect subtree. */
function writeRowLayout(filename: string): SignedHead {
  const db = new Database(filename);
  db.exec(`
    CREATE TABLE ledger_leaves (leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE) STRICT;
    CREATE TABLE ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID;
    CREATE TABLE ledger_heads (tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL) STRICT;
  `);
  const { nodes, root } = extend(0, [], leaves);
  const head = signHead({ treeSize: LEAVES, rootHash: root.toString('hex'), timestamp: '2026-12-01T10:00:00.000Z', keyId: keyIdOf(publicKey) }, privateKey);
  db.transaction(() => {
    const leaf = db.prepare('INSERT INTO ledger_leaves VALUES (?, ?)');
    for (let i = 0; i < LEAVES; i++) leaf.run(i, positionOf(i));
    const node = db.prepare('INSERT INTO ledger_nodes VALUES (?, ?, ?)');
    for (const { level, index, hash } of nodes) node.run(level, index, hash);
    db.prepare('INSERT INTO ledger_heads VALUES (?, ?, ?, ?, ?)').run(head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature);
  })();
  db.close();
  return head;
}

describe('SqliteLedgerStore on a ledger.sqlite of the row-per-node layout', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-layout-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the tree into tiles and runs at its first open: same nodes, positions and heads, and it grows on', async () => {
    const filename = join(dir, 'ledger.sqlite');
    const head = writeRowLayout(filename);
    const [first, second] = [new SqliteLedgerStore(filename), new SqliteLedgerStore(filename)];
    try {
      const state = await second.state();
      expect([state.size, state.lastPositions, state.lastLeafHash, state.head]).toEqual([
        LEAVES,
        [positionOf(LEAVES - 1), positionOf(LEAVES - 2)],
        leaves[LEAVES - 1],
        head,
      ]);
      const every = extend(0, [], leaves).nodes;
      const hex = (hashes: Buffer[]): string => Buffer.concat(hashes).toString('hex');
      expect(hex(await first.nodes(every.map(({ level, index }) => ({ level, index }))))).toBe(hex(every.map((node) => node.hash)));
      expect(await first.leafIndexes([1, 1000, 1001, 1004, positionOf(LEAVES - 1)])).toEqual(
        new Map([
          [1, 0],
          [1000, 999],
          [1004, 1000],
          [positionOf(LEAVES - 1), LEAVES - 1],
        ]),
      );
      const more = [leafHash('event after the move')];
      const grown = extend(state.size, state.frontier, more);
      const next = signHead(
        { treeSize: LEAVES + 1, rootHash: grown.root.toString('hex'), timestamp: '2026-12-02T10:00:00.000Z', keyId: head.keyId },
        privateKey,
      );
      expect(await first.extend({ expectedSize: LEAVES, positions: [positionOf(LEAVES)], nodes: grown.nodes, head: next })).toBe(true);
      expect(await second.latestHead()).toEqual(next);
    } finally {
      await first.close();
      await second.close();
    }
    const db = new Database(filename, { readonly: true });
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    db.close();
    expect(tables.map((t) => t.name)).toEqual(['ledger_heads', 'ledger_runs', 'ledger_tiles']);
  });
});
