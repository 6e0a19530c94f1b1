import type { Collection } from 'mongodb';
import { StoreUnavailableError } from '#event-store';
import { isDuplicateKey, isMongoUnavailable, type MongoConnection } from '#mongo';
import { frontierNodes, MissingNodeError, type LedgerStore, type NodeId, type SignedHead, type TreeExtension, type TreeState } from '#ledger';

interface NodeDocument {
  _id: string;
  hash: string;
}
interface LeafDocument {
  _id: number;
  position: number;
}
interface HeadDocument {
  _id: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
}

/** The ledger's MongoDB cannot be reached now (HTTP 503, like every unavailable store). */
export class LedgerStoreUnavailableError extends StoreUnavailableError {}

const nodeKey = (id: NodeId): string => `${id.level}/${id.index}`;
const toHead = (doc: HeadDocument | null): SignedHead | undefined =>
  doc ? { treeSize: doc._id, rootHash: doc.rootHash, timestamp: doc.timestamp, keyId: doc.keyId, signature: doc.signature } : undefined;

/**
 * The Merkle tree in MongoDB (production; kept by the projector process under its `ledger` lease):
 * `ledger_nodes` (perfect subtree hashes by "level/index"), `ledger_leaves` (leaf → global
 * position), `ledger_heads` (by tree size). The tree's size is its latest head's. Without
 * multi-document transactions an extension is made safe by its content: nodes and leaves are
 * functions of the log's prefix, written with $setOnInsert (a repeat writes nothing new), and the
 * head last, only onto the expected size, its tree size the key (a second writer's is refused).
 */
export class MongoLedgerStore implements LedgerStore {
  private positionIndex: Promise<string> | undefined;

  constructor(
    private readonly connection: MongoConnection,
    private readonly options: { ownsConnection?: boolean } = {},
  ) {}

  private async collections(): Promise<{ nodes: Collection<NodeDocument>; leaves: Collection<LeafDocument>; heads: Collection<HeadDocument> }> {
    const db = await this.connection.db();
    return { nodes: db.collection('ledger_nodes'), leaves: db.collection('ledger_leaves'), heads: db.collection('ledger_heads') };
  }

  private async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isMongoUnavailable(error) || error instanceof StoreUnavailableError) {
        throw new LedgerStoreUnavailableError(`MongoDB cannot ${what}: ${(error as Error).message}`);
      }
      throw error;
    }
  }

  async state(): Promise<TreeState> {
    return this.run('read the ledger', async () => {
      const { leaves } = await this.collections();
      const head = await this.latestHead();
      const size = head?.treeSize ?? 0;
      const last = await leaves
        .find({ _id: { $gte: size - 2, $lt: size } })
        .sort({ _id: -1 })
        .toArray();
      return {
        size,
        frontier: await this.nodes(frontierNodes(size)),
        lastPositions: last.map((leaf) => leaf.position),
        ...(size > 0 && { lastLeafHash: (await this.nodes([{ level: 0, index: size - 1 }]))[0] }),
        head,
      };
    });
  }

  async extend({ expectedSize, positions, nodes, head }: TreeExtension): Promise<boolean> {
    return this.run('extend the ledger', async () => {
      const collections = await this.collections();
      this.positionIndex ??= collections.leaves.createIndex({ position: 1 }, { unique: true }).catch((error: unknown) => {
        this.positionIndex = undefined;
        throw error;
      });
      await this.positionIndex;
      if (((await this.latestHead())?.treeSize ?? 0) !== expectedSize) return false;
      if (positions.length > 0) {
        await collections.leaves.bulkWrite(
          positions.map((position, i) => ({ updateOne: { filter: { _id: expectedSize + i }, update: { $setOnInsert: { position } }, upsert: true } })),
          { ordered: false },
        );
      }
      if (nodes.length > 0) {
        await collections.nodes.bulkWrite(
          nodes.map((node) => ({ updateOne: { filter: { _id: nodeKey(node) }, update: { $setOnInsert: { hash: node.hash.toString('hex') } }, upsert: true } })),
          { ordered: false },
        );
      }
      try {
        await collections.heads.insertOne({
          _id: head.treeSize,
          rootHash: head.rootHash,
          timestamp: head.timestamp,
          keyId: head.keyId,
          signature: head.signature,
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  async nodes(ids: readonly NodeId[]): Promise<Buffer[]> {
    if (ids.length === 0) return [];
    return this.run('read the ledger', async () => {
      const { nodes } = await this.collections();
      const found = new Map((await nodes.find({ _id: { $in: ids.map(nodeKey) } }).toArray()).map((doc) => [doc._id, doc.hash]));
      return ids.map((id) => {
        const hash = found.get(nodeKey(id));
        if (hash === undefined) throw new MissingNodeError(`the ledger has no node ${nodeKey(id)}`);
        return Buffer.from(hash, 'hex');
      });
    });
  }

  async latestHead(): Promise<SignedHead | undefined> {
    return this.run('read the ledger', async () => toHead(await (await this.collections()).heads.find().sort({ _id: -1 }).limit(1).next()));
  }

  async leafIndexes(positions: readonly number[]): Promise<Map<number, number>> {
    if (positions.length === 0) return new Map();
    return this.run('read the ledger', async () => {
      const leaves = await (await this.collections()).leaves.find({ position: { $in: [...positions] } }).toArray();
      return new Map(leaves.map((leaf) => [leaf.position, leaf._id]));
    });
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.connection.close();
  }
}
