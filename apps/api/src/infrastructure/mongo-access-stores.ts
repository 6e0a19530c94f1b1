import { StoreUnavailableError } from '#event-store';
import { isDuplicateKey, isMongoUnavailable, type MongoConnection } from '#mongo';
import type { Collection, Db, Document } from 'mongodb';
import type { IdempotencyStore, IdempotentAnswer } from '../auth/idempotency.js';
import type { BootstrapOrigin, Principal, PrincipalStore, StoredPrincipal } from '../auth/principal.js';
import {
  fromIdempotentAnswerDocument,
  fromPrincipalDocument,
  idempotencyKeyId,
  IDEMPOTENT_ANSWERS_COLLECTION,
  PRINCIPALS_COLLECTION,
  toIdempotentAnswerDocument,
  toPrincipalDocument,
  withoutTokenHash,
  type IdempotentAnswerDocument,
  type PrincipalDocument,
} from './mongo-access-mapping.js';

/** Principals or idempotent answers cannot be read or written now (HTTP 503). */
export class AccessStoreUnavailableError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AccessStoreUnavailableError';
  }
}

/** Runs an operation on a collection, creating its indexes once first; driver outages become AccessStoreUnavailableError. */
export class AccessCollection<T extends Document> {
  private indexed: Promise<void> | undefined;

  constructor(
    private readonly connection: MongoConnection,
    private readonly name: string,
    private readonly indexes: (collection: Collection<T>) => Promise<unknown>,
  ) {}

  async run<R>(what: string, operation: (collection: Collection<T>) => Promise<R>): Promise<R> {
    try {
      const db: Db = await this.connection.db();
      const collection = db.collection<T>(this.name);
      this.indexed ??= this.indexes(collection).then(
        () => undefined,
        (err: unknown) => {
          this.indexed = undefined; // try again next time
          throw err;
        },
      );
      await this.indexed;
      return await operation(collection);
    } catch (err) {
      if (isMongoUnavailable(err)) {
        throw new AccessStoreUnavailableError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      throw err;
    }
  }
}

export class MongoPrincipalStore implements PrincipalStore {
  private readonly principals: AccessCollection<PrincipalDocument>;

  constructor(connection: MongoConnection) {
    this.principals = new AccessCollection<PrincipalDocument>(connection, PRINCIPALS_COLLECTION, (c) =>
      c.createIndexes([{ key: { tokenHash: 1 }, unique: true }, { key: { createdAt: 1, _id: 1 } }]),
    );
  }

  async add(principal: StoredPrincipal): Promise<void> {
    await this.principals.run('adding a principal', (c) => c.insertOne(toPrincipalDocument(principal)));
  }

  async addIfAbsent(principal: StoredPrincipal): Promise<boolean> {
    return this.principals.run('adding a principal', async (c) => {
      try {
        await c.insertOne(toPrincipalDocument(principal));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false; // the _id or the unique tokenHash: another process got there first
        throw err;
      }
    });
  }

  async addFirst(principal: StoredPrincipal): Promise<boolean> {
    // Count then insert is not atomic: callers racing for the first principal share one fixed id, so one insert wins.
    if ((await this.principals.run('counting principals', (c) => c.countDocuments({}, { limit: 1 }))) > 0) return false;
    return this.addIfAbsent(principal);
  }

  async markBootstrapAdmin(id: string, origin: BootstrapOrigin): Promise<void> {
    await this.principals.run('marking a bootstrap admin', (c) => c.updateOne({ _id: id, bootstrap: { $exists: false } }, { $set: { bootstrap: origin } }));
  }

  async revokeBootstrapAdmins(origin: BootstrapOrigin, keepId: string, at: string): Promise<number> {
    const revoked = await this.principals.run('revoking bootstrap admins', (c) =>
      c.updateMany({ bootstrap: origin, _id: { $ne: keepId }, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }),
    );
    return revoked.modifiedCount;
  }

  async findByTokenHash(tokenHash: string): Promise<StoredPrincipal | null> {
    const doc = await this.principals.run('reading a principal', (c) => c.findOne({ tokenHash }));
    return doc ? fromPrincipalDocument(doc) : null;
  }

  async get(id: string): Promise<Principal | null> {
    const doc = await this.principals.run('reading a principal', (c) => c.findOne({ _id: id }));
    return doc ? withoutTokenHash(fromPrincipalDocument(doc)) : null;
  }

  async list(): Promise<Principal[]> {
    const docs = await this.principals.run('listing principals', (c) =>
      c
        .find(
          {},
          {
            sort: [
              ['createdAt', 1],
              ['_id', 1],
            ],
          },
        )
        .toArray(),
    );
    return docs.map((doc) => withoutTokenHash(fromPrincipalDocument(doc)));
  }

  async revoke(id: string, at: string): Promise<boolean> {
    return this.principals.run('revoking a principal', async (c) => {
      // Only an unrevoked principal gets the date; revoking again keeps the first one.
      const revoked = await c.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
      return revoked.matchedCount > 0 || (await c.countDocuments({ _id: id }, { limit: 1 })) > 0;
    });
  }

  async count(): Promise<number> {
    return this.principals.run('counting principals', (c) => c.countDocuments({}));
  }
}

export class MongoIdempotencyStore implements IdempotencyStore {
  private readonly answers: AccessCollection<IdempotentAnswerDocument>;

  constructor(connection: MongoConnection) {
    this.answers = new AccessCollection<IdempotentAnswerDocument>(connection, IDEMPOTENT_ANSWERS_COLLECTION, async () => undefined);
  }

  async get(principalId: string, key: string): Promise<IdempotentAnswer | null> {
    const doc = await this.answers.run('reading an idempotent answer', (c) => c.findOne({ _id: idempotencyKeyId(principalId, key) }));
    return doc ? fromIdempotentAnswerDocument(doc) : null;
  }

  async put(principalId: string, key: string, answer: IdempotentAnswer): Promise<void> {
    const doc = toIdempotentAnswerDocument(principalId, key, answer, new Date());
    await this.answers.run('keeping an idempotent answer', async (c) => {
      try {
        // $setOnInsert: the first answer stays; a later put for the same key changes nothing.
        await c.updateOne({ _id: doc._id }, { $setOnInsert: { answer: doc.answer, createdAt: doc.createdAt } }, { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // two first answers raced: the other one is kept
      }
    });
  }
}
