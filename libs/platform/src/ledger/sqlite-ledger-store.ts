import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { frontierNodes, MissingNodeError, type LedgerStore, type NodeId, type SignedHead, type TreeExtension, type TreeState } from '#ledger';
import { enableWal } from '#event-store';

interface HeadRow {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  key_id: string;
  signature: string;
}

/** Rows per INSERT statement in an extension: one statement per hundred rows rather than per row. */
const ROWS_PER_INSERT = 100;
const valuesList = (columns: number, rows: number): string => Array.from({ length: rows }, () => `(${Array(columns).fill('?').join(', ')})`).join(', ');

const toHead = (row: HeadRow | undefined): SignedHead | undefined =>
  row && { treeSize: row.tree_size, rootHash: row.root_hash, timestamp: row.timestamp, keyId: row.key_id, signature: row.signature };

/**
 * The Merkle tree in its own SQLite file (DATA_DIR/ledger.sqlite): the leaves' global positions,
 * every perfect subtree's hash keyed by (level, index), and every signed head. An extension is one
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
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS ledger_leaves (leaf_index INTEGER PRIMARY KEY, position INTEGER NOT NULL UNIQUE) STRICT;
      CREATE TABLE IF NOT EXISTS ledger_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY (level, idx)) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ledger_heads (
        tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, key_id TEXT NOT NULL, signature TEXT NOT NULL
      ) STRICT;
    `);
    this.statements = {
      size: this.db.prepare<[], { size: number }>('SELECT COALESCE(MAX(leaf_index) + 1, 0) AS size FROM ledger_leaves'),
      lastPositions: this.db.prepare<[], { position: number }>('SELECT position FROM ledger_leaves ORDER BY leaf_index DESC LIMIT 2'),
      node: this.db.prepare<[number, number], { hash: Buffer }>('SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?'),
      latestHead: this.db.prepare<[], HeadRow>('SELECT * FROM ledger_heads ORDER BY tree_size DESC LIMIT 1'),
      insertLeaf: this.db.prepare('INSERT INTO ledger_leaves (leaf_index, position) VALUES (?, ?)'),
      insertLeaves: this.db.prepare(`INSERT INTO ledger_leaves (leaf_index, position) VALUES ${valuesList(2, ROWS_PER_INSERT)}`),
      insertNode: this.db.prepare('INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)'),
      insertNodes: this.db.prepare(`INSERT INTO ledger_nodes (level, idx, hash) VALUES ${valuesList(3, ROWS_PER_INSERT)}`),
      insertHead: this.db.prepare('INSERT INTO ledger_heads (tree_size, root_hash, timestamp, key_id, signature) VALUES (?, ?, ?, ?, ?)'),
      headAt: this.db.prepare<[number], HeadRow>('SELECT * FROM ledger_heads WHERE tree_size = ?'),
      leafIndexes: this.db.prepare<[string], { leaf_index: number; position: number }>(
        'SELECT leaf_index, position FROM ledger_leaves WHERE position IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  private node(id: NodeId): Buffer {
    const row = this.statements.node.get(id.level, id.index);
    if (!row) throw new MissingNodeError(`the ledger has no node ${id.level}/${id.index}`);
    return row.hash;
  }

  async state(): Promise<TreeState> {
    return this.db.transaction((): TreeState => {
      const { size } = this.statements.size.get()!;
      return {
        size,
        frontier: frontierNodes(size).map((id) => this.node(id)),
        lastPositions: this.statements.lastPositions.all().map((row) => row.position),
        ...(size > 0 && { lastLeafHash: this.node({ level: 0, index: size - 1 }) }),
        head: toHead(this.statements.latestHead.get()),
      };
    })();
  }

  async extend({ expectedSize, positions, nodes, head }: TreeExtension): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        if (this.statements.size.get()!.size !== expectedSize) return false;
        if (this.statements.headAt.get(head.treeSize)) return false;
        const leafRows = positions.map((position, i) => [expectedSize + i, position]);
        this.insertRows(leafRows, this.statements.insertLeaves, this.statements.insertLeaf);
        this.insertRows(
          nodes.map((node) => [node.level, node.index, node.hash]),
          this.statements.insertNodes,
          this.statements.insertNode,
        );
        this.statements.insertHead.run(head.treeSize, head.rootHash, head.timestamp, head.keyId, head.signature);
        return true;
      })
      .immediate();
  }

  /** Inserts rows a hundred per statement (`many`), the rest one by one. */
  private insertRows(rows: Array<Array<number | Buffer>>, many: Database.Statement, one: Database.Statement): void {
    let at = 0;
    for (; at + ROWS_PER_INSERT <= rows.length; at += ROWS_PER_INSERT) many.run(rows.slice(at, at + ROWS_PER_INSERT).flat());
    for (; at < rows.length; at++) one.run(rows[at]);
  }

  async nodes(ids: readonly NodeId[]): Promise<Buffer[]> {
    return this.db.transaction(() => ids.map((id) => this.node(id)))();
  }

  async latestHead(): Promise<SignedHead | undefined> {
    return toHead(this.statements.latestHead.get());
  }

  async leafIndexes(positions: readonly number[]): Promise<Map<number, number>> {
    if (positions.length === 0) return new Map();
    return new Map(this.statements.leafIndexes.all(JSON.stringify(positions)).map((row) => [row.position, row.leaf_index]));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
