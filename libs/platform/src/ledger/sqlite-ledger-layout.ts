import type Database from 'better-sqlite3';
import { HASH_BYTES, TILE_HEIGHT, TILE_WIDTH } from '#ledger';

/**
 * The tables of DATA_DIR/ledger.sqlite:
 * - `ledger_tiles`: the tree's hashes as tiles (libs/ledger tiles.ts): per stored level (0, 8, 16,
 *   …) and tile index, up to 256 hashes of 32 bytes, the rightmost tile of a level growing in place;
 * - `ledger_runs`: the leaves' global positions as runs of consecutive ones (leaves first_leaf …
 *   first_leaf + count − 1 are the events at first_position …): the log's positions rarely skip;
 * - `ledger_heads`: every signed head by tree size.
 */
export function createLedgerTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ledger_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ledger_runs (first_leaf INTEGER PRIMARY KEY, first_position INTEGER NOT NULL UNIQUE, count INTEGER NOT NULL) STRICT;
    CREATE TABLE IF NOT EXISTS ledger_heads (
      tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL
    ) STRICT;
  `);
  if (hasTable(db, 'ledger_leaves')) db.transaction(() => moveRowLayout(db)).immediate();
}

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare<[string], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/**
 * Moves a tree kept in the earlier layout (a row per leaf in `ledger_leaves`, a row per node in
 * `ledger_nodes`) into tiles and runs, in one transaction: every process opening the file may try
 * it, the first one does it, the others find it done.
 */
function moveRowLayout(db: Database.Database): void {
  if (!hasTable(db, 'ledger_leaves')) return;
  const insertRun = db.prepare('INSERT INTO ledger_runs (first_leaf, first_position, count) VALUES (?, ?, ?)');
  let run: { firstLeaf: number; firstPosition: number; count: number } | undefined;
  const leaves = db.prepare<[number, number], { leaf_index: number; position: number }>(
    `SELECT leaf_index, position FROM ledger_leaves WHERE leaf_index > ? ORDER BY leaf_index LIMIT ?`,
  );
  for (const row of pages(
    (after) => leaves.all(after, PAGE),
    (last) => last.leaf_index,
    -1,
  )) {
    if (run && row.position === run.firstPosition + run.count && row.leaf_index === run.firstLeaf + run.count) run.count++;
    else {
      if (run) insertRun.run(run.firstLeaf, run.firstPosition, run.count);
      run = { firstLeaf: row.leaf_index, firstPosition: row.position, count: 1 };
    }
  }
  if (run) insertRun.run(run.firstLeaf, run.firstPosition, run.count);

  const insertTile = db.prepare('INSERT INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?)');
  let tile: { level: number; index: number; hashes: Buffer[] } | undefined;
  const flush = (): void => {
    if (tile) insertTile.run(tile.level, tile.index, Buffer.concat(tile.hashes));
  };
  const nodes = db.prepare<[number, number, number], { level: number; idx: number; hash: Buffer }>(
    `SELECT level, idx, hash FROM ledger_nodes WHERE level % ${TILE_HEIGHT} = 0 AND (level, idx) > (?, ?) ORDER BY level, idx LIMIT ?`,
  );
  for (const node of pages<{ level: number; idx: number; hash: Buffer }, [number, number]>(
    (after) => nodes.all(after[0], after[1], PAGE),
    (last) => [last.level, last.idx],
    [-1, -1],
  )) {
    const index = Math.floor(node.idx / TILE_WIDTH);
    if (!tile || tile.level !== node.level || tile.index !== index) {
      flush();
      tile = { level: node.level, index, hashes: [] };
    }
    if (node.hash.length !== HASH_BYTES || node.idx % TILE_WIDTH !== tile.hashes.length)
      throw new Error(`ledger.sqlite: node ${node.level}/${node.idx} is out of place`);
    tile.hashes.push(node.hash);
  }
  flush();
  db.exec('DROP TABLE ledger_leaves; DROP TABLE ledger_nodes;');
}

const PAGE = 10_000;

/** The rows of a keyset-paged query (better-sqlite3 runs no other statement while one iterates). */
function* pages<Row, Key>(page: (after: Key) => Row[], keyOf: (last: Row) => Key, first: Key): Generator<Row> {
  for (let after = first; ;) {
    const rows = page(after);
    yield* rows;
    if (rows.length < PAGE) return;
    after = keyOf(rows[rows.length - 1]);
  }
}
