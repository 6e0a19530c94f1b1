import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  foldTileSlice,
  frontierNodes,
  HASH_BYTES,
  MissingNodeError,
  tileGrowths,
  tileSliceOf,
  type LedgerStore,
  type NodeId,
  type SignedHead,
  type TileId,
  type TreeExtension,
  type TreeState,
} from '#ledger';
import { enableWal } from '#event-store';
import { createLedgerTables } from './sqlite-ledger-layout.js';

interface RunRow {
  first_leaf: number;
  first_position: number;
  count: number;
}

interface HeadRow {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  key_id: string;
  signature: string;
}

const toHead = (row: HeadRow | undefined): SignedHead | undefined =>
  row && { treeSize: row.tree_size, rootHash: row.root_hash, timestamp: row.timestamp, keyId: row.key_id, signature: row.signature };

/**
 * The Merkle tree in its own SQLite file (DATA_DIR/ledger.sqlite): its hashes as tiles, the leaves'
 * global positions as runs, and every signed head (sqlite-ledger-layout.ts). An extension is one
 * IMMEDIATE transaction that first checks the tree still has the size it was computed from.
 */
export class SqliteLedgerStore implements LedgerStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(filename: string) {
    mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    enableWal(this.db);
    // The tree is derived from the log: a commit lost to a power cut is redone by the next extension
    // (same leaves, same nodes, same root), so no fsync per commit on the API's thread.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    createLedgerTables(this.db);
    this.statements = {
      // The last two runs, the last one first: the tree's size and last two positions follow from them.
      lastRuns: this.db.prepare<[], RunRow>('SELECT * FROM ledger_runs ORDER BY first_leaf DESC LIMIT 2'),
      runAt: this.db.prepare<[number], RunRow>('SELECT * FROM ledger_runs WHERE first_position <= ? ORDER BY first_position DESC LIMIT 1'),
      insertRun: this.db.prepare('INSERT INTO ledger_runs (first_leaf, first_position, count) VALUES (?, ?, ?)'),
      growRun: this.db.prepare('UPDATE ledger_runs SET count = ? WHERE first_leaf = ?'),
      tile: this.db.prepare<[number, number], { hashes: Buffer }>('SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?'),
      putTile: this.db.prepare('INSERT OR REPLACE INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?)'),
      latestHead: this.db.prepare<[], HeadRow>('SELECT * FROM ledger_heads ORDER BY tree_size DESC LIMIT 1'),
      insertHead: this.db.prepare('INSERT INTO ledger_heads (tree_size, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?)'),
      headAt: this.db.prepare<[number], HeadRow>('SELECT * FROM ledger_heads WHERE tree_size = ?'),
    };
  }

  private tileHashes(tile: TileId): Buffer {
    return this.statements.tile.get(tile.level, tile.index)?.hashes ?? Buffer.alloc(0);
  }

  /** `tiles`: those read for the same call already (a proof's nodes mostly share a few). */
  private node(id: NodeId, tiles = new Map<string, Buffer>()): Buffer {
    const { tile, from, count } = tileSliceOf(id);
    const key = `${tile.level}/${tile.index}`;
    const hashes = tiles.get(key) ?? this.tileHashes(tile);
    tiles.set(key, hashes);
    if (hashes.length < (from + count) * HASH_BYTES) throw new MissingNodeError(`the ledger has no node ${id.level}/${id.index}`);
    return foldTileSlice(hashes, from, count);
  }

  async state(): Promise<TreeState> {
    return this.db.transaction((): TreeState => {
      const runs = this.statements.lastRuns.all();
      const size = sizeAfter(runs);
      const tiles = new Map<string, Buffer>();
      return {
        size,
        frontier: frontierNodes(size).map((id) => this.node(id, tiles)),
        lastPositions: lastPositions(runs),
        ...(size > 0 && { lastLeafHash: this.node({ level: 0, index: size - 1 }, tiles) }),
        head: toHead(this.statements.latestHead.get()),
      };
    })();
  }

  async extend({ expectedSize, positions, nodes, head }: TreeExtension): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const [lastRun] = this.statements.lastRuns.all();
        if (sizeAfter([lastRun]) !== expectedSize) return false;
        if (this.statements.headAt.get(head.treeSize)) return false;
        this.addPositions(lastRun, expectedSize, positions);
        for (const { tile, from, hashes } of tileGrowths(nodes)) {
          const stored = this.tileHashes(tile);
          if (stored.length !== from * HASH_BYTES)
            throw new Error(`ledger.sqlite: tile ${tile.level}/${tile.index} holds ${stored.length / HASH_BYTES} hashes, not ${from}`);
          this.statements.putTile.run(tile.level, tile.index, Buffer.concat([stored, ...hashes]));
        }
        this.statements.insertHead.run(head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature);
        return true;
      })
      .immediate();
  }

  /** Records the positions of the leaves from `firstLeaf` on: the last run (`run`) grows while they follow on from it. */
  private addPositions(run: RunRow | undefined, firstLeaf: number, positions: readonly number[]): void {
    let grown = false;
    for (let i = 0; i < positions.length; i++) {
      if (run && positions[i] === run.first_position + run.count) {
        run.count++;
        grown = true;
        continue;
      }
      if (run && grown) this.statements.growRun.run(run.count, run.first_leaf);
      run = { first_leaf: firstLeaf + i, first_position: positions[i], count: 1 };
      this.statements.insertRun.run(run.first_leaf, run.first_position, 1);
      grown = false;
    }
    if (run && grown) this.statements.growRun.run(run.count, run.first_leaf);
  }

  async nodes(ids: readonly NodeId[]): Promise<Buffer[]> {
    const tiles = new Map<string, Buffer>();
    return this.db.transaction(() => ids.map((id) => this.node(id, tiles)))();
  }

  async latestHead(): Promise<SignedHead | undefined> {
    return toHead(this.statements.latestHead.get());
  }

  async leafIndexes(positions: readonly number[]): Promise<Map<number, number>> {
    const indexes = new Map<number, number>();
    this.db.transaction(() => {
      for (const position of positions) {
        const run = this.statements.runAt.get(position);
        if (run && position < run.first_position + run.count) indexes.set(position, run.first_leaf + position - run.first_position);
      }
    })();
    return indexes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The tree's size: where the last run of leaves ends. */
const sizeAfter = ([last]: readonly (RunRow | undefined)[]): number => (last ? last.first_leaf + last.count : 0);

/** The global positions of the last two leaves, the last one first. */
function lastPositions(runs: readonly RunRow[]): number[] {
  const positions: number[] = [];
  for (const run of runs) for (let i = run.count - 1; i >= 0 && positions.length < 2; i--) positions.push(run.first_position + i);
  return positions;
}
