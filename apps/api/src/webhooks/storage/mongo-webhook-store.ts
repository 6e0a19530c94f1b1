import { StoreUnavailableError } from '#event-store';
import { isMongoUnavailable, type MongoConnection } from '#mongo';
import { ObjectId, type Collection } from 'mongodb';
import type { DeliveryAttempt, Webhook } from '../webhook.js';
import {
  advanceFilter,
  fromAttemptDocument,
  fromWebhookDocument,
  toAttemptDocument,
  toWebhookDocument,
  WEBHOOK_DELIVERIES_COLLECTION,
  WEBHOOKS_COLLECTION,
  type DeliveryAttemptDocument,
  type WebhookDocument,
} from './mongo-webhook-documents.js';
import { ATTEMPTS_KEPT } from './sqlite-webhook-store.js';
import type { AttemptOutcome, AttemptRef, WebhookStore } from './webhook-store.port.js';

/** Webhooks cannot be read or written now (HTTP 503). */
export class WebhookStoreUnavailableError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookStoreUnavailableError';
  }
}

/**
 * Webhooks in MongoDB (MONGODB_URL), beside the principals. Secrets arrive sealed (WebhookSecrets).
 * Attempts are numbered `seq` from the clock (milliseconds × 1000 plus a per-process counter),
 * which orders them newest first well enough for a delivery log.
 */
export class MongoWebhookStore implements WebhookStore {
  private indexed: Promise<void> | undefined;
  private counter = 0;

  constructor(
    private readonly connection: MongoConnection,
    private readonly options: { ownsConnection: boolean; attemptsKept?: number },
  ) {}

  async add(webhook: Webhook): Promise<void> {
    await this.webhooks('adding a webhook', (c) => c.insertOne(toWebhookDocument(webhook)));
  }

  async get(id: string): Promise<Webhook | null> {
    const doc = await this.webhooks('reading a webhook', (c) => c.findOne({ _id: id }));
    return doc ? fromWebhookDocument(doc) : null;
  }

  async list(): Promise<Webhook[]> {
    const docs = await this.webhooks('listing webhooks', (c) => c.find({}).sort({ createdAt: 1, _id: 1 }).toArray());
    return docs.map(fromWebhookDocument);
  }

  async remove(id: string): Promise<boolean> {
    const { deletedCount } = await this.webhooks('deleting a webhook', (c) => c.deleteOne({ _id: id }));
    await this.attemptsCollection('deleting delivery attempts', (c) => c.deleteMany({ webhookId: id }));
    return deletedCount === 1;
  }

  async advance(id: string, generation: number, position: number): Promise<boolean> {
    const { matchedCount } = await this.webhooks('moving a webhook checkpoint', (c) =>
      c.updateOne(advanceFilter(id, generation, position), { $set: { checkpoint: position } }),
    );
    return matchedCount === 1;
  }

  // `secretKeyId: null` matches an absent field too: the documents written before secrets were sealed.
  async sealSecret(id: string, sealed: string, keyId: string): Promise<boolean> {
    const { matchedCount } = await this.webhooks('sealing a webhook secret', (c) =>
      c.updateOne({ _id: id, secretKeyId: null }, { $set: { secret: sealed, secretKeyId: keyId } }),
    );
    return matchedCount === 1;
  }
  async rewind(id: string, after: number): Promise<Webhook | null> {
    const doc = await this.webhooks('rewinding a webhook', (c) =>
      c.findOneAndUpdate({ _id: id }, { $set: { checkpoint: after }, $inc: { generation: 1 } }, { returnDocument: 'after' }),
    );
    return doc ? fromWebhookDocument(doc) : null;
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<AttemptRef> {
    const seq = Date.now() * 1000 + (this.counter++ % 1000);
    const { insertedId } = await this.attemptsCollection('recording a delivery attempt', (c) => c.insertOne(toAttemptDocument(attempt, seq)));
    const kept = this.options.attemptsKept ?? ATTEMPTS_KEPT;
    if (this.counter % Math.max(1, Math.floor(kept / 10)) === 0) {
      await this.attemptsCollection('pruning delivery attempts', async (c) => {
        const [oldestKept] = await c
          .find({ webhookId: attempt.webhookId })
          .sort({ seq: -1 })
          .skip(kept - 1)
          .limit(1)
          .toArray();
        if (oldestKept) await c.deleteMany({ webhookId: attempt.webhookId, seq: { $lt: oldestKept.seq } });
      });
    }
    return String(insertedId);
  }

  async finishAttempt(ref: AttemptRef, outcome: AttemptOutcome): Promise<void> {
    const { httpStatus, error, ...rest } = outcome;
    await this.attemptsCollection('recording a delivery outcome', (c) =>
      c.updateOne(
        { _id: new ObjectId(String(ref)) },
        {
          $set: { ...rest, ...(httpStatus !== undefined && { httpStatus }), ...(error !== undefined && { error }) },
          ...(error === undefined && { $unset: { error: '' } }),
        },
      ),
    );
  }

  async attempts(webhookId: string, limit: number): Promise<DeliveryAttempt[]> {
    const docs = await this.attemptsCollection('reading delivery attempts', (c) => c.find({ webhookId }).sort({ seq: -1 }).limit(limit).toArray());
    return docs.map(fromAttemptDocument);
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.connection.close();
  }

  private webhooks<R>(what: string, operation: (c: Collection<WebhookDocument>) => Promise<R>): Promise<R> {
    return this.run(what, async () => operation((await this.connection.db()).collection<WebhookDocument>(WEBHOOKS_COLLECTION)));
  }

  private attemptsCollection<R>(what: string, operation: (c: Collection<DeliveryAttemptDocument>) => Promise<R>): Promise<R> {
    return this.run(what, async () => operation((await this.connection.db()).collection<DeliveryAttemptDocument>(WEBHOOK_DELIVERIES_COLLECTION)));
  }

  private async run<R>(what: string, operation: () => Promise<R>): Promise<R> {
    try {
      this.indexed ??= this.createIndexes().catch((error: unknown) => {
        this.indexed = undefined; // try again next time
        throw error;
      });
      await this.indexed;
      return await operation();
    } catch (error) {
      if (isMongoUnavailable(error))
        throw new WebhookStoreUnavailableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      throw error;
    }
  }

  private async createIndexes(): Promise<void> {
    const db = await this.connection.db();
    await db.collection(WEBHOOKS_COLLECTION).createIndex({ createdAt: 1, _id: 1 });
    await db.collection(WEBHOOK_DELIVERIES_COLLECTION).createIndex({ webhookId: 1, seq: -1 });
  }
}
