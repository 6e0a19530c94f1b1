import { BACKWARDS, END, excludeSystemEvents, FORWARDS, KurrentDBClient, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from '../event-store.port.js';
import { checkStreamId, nonNegativeInteger, positiveInteger } from '../argument-checks.js';
import { checkChainLinks } from '../chain-links.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { retryUntilAvailable, type BackoffOptions } from './connection-retry.js';
import { withGossipSeeds, withoutCredentials } from './connection-string.js';
import { toEventData, toRecordedEvent, toStreamState } from './event-records.js';
import { isStreamNotFound, toStoreError, type ErrorContext } from './kurrentdb-errors.js';
import { readFrom, toSafeNumber } from './positions.js';
import { KurrentDbSubscription } from './kurrentdb-subscription.js';

/** What the store uses of the client (tests pass a stand-in). */
export type KurrentDbClient = Pick<KurrentDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'>;

export interface KurrentDbEventStoreOptions {
  /** `kurrentdb://…` (or legacy `esdb://…`) connection string, credentials included. */
  connectionString: string;
  /** A client to use instead of one made from the connection string. */
  client?: KurrentDbClient;
  /** Makes the client from the (rewritten, see connection-string.ts) connection string. Default: the library's parser. */
  createClient?: (connectionString: string) => KurrentDbClient;
  /** How the server is named in errors and logs: the connection string without credentials. */
  server: string;
  /** How long `ping()` waits for an answer. Default 3000 ms. */
  pingTimeoutMs?: number;
  logger?: { log(message: string): void; warn(message: string): void };
}

const DEFAULT_MAX_BATCH_SIZE = 500;

/**
 * The EventStore port on KurrentDB (or EventStoreDB ≥ 22.6) through @kurrent/kurrentdb-client.
 *
 * - Streams map one to one; revisions are KurrentDB stream revisions.
 * - Positions are `$all` log positions (see positions.ts for why one number is exact).
 * - Appends use the expected stream state; a repeat of the same event ids is recognised by the
 *   server's idempotency check (exact for `no_stream` and a revision; best effort for `any`, which
 *   KurrentDB documents as such). The result's position is read back from the stream, so it is the
 *   position of the batch's last event whatever the server's append reply says.
 * - Every read and subscription excludes system events (`$`-prefixed types).
 * - Connection problems surface as EventStoreUnavailableError naming the server (no credentials).
 */
export class KurrentDbEventStore implements EventStore {
  private clientInstance: KurrentDbClient | undefined;
  private readonly server: string;
  private readonly pingTimeoutMs: number;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private readonly connecting = new AbortController();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    this.server = options.server;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 3000;
    this.clientInstance = options.client;
  }

  /**
   * The client, made on first use: making it parses the connection string and reads its TLS files,
   * and a failure there (a missing tlsCAFile) is an unavailable store that the next call tries
   * again, never a failed start. The client itself connects lazily, on its first call.
   */
  private get client(): KurrentDbClient {
    if (this.clientInstance) return this.clientInstance;
    const connectionString = withGossipSeeds(this.options.connectionString);
    try {
      this.clientInstance = (this.options.createClient ?? ((s) => KurrentDBClient.connectionString(s)))(connectionString);
    } catch (error) {
      const reason = withoutCredentials(error instanceof Error ? error.message : String(error));
      throw new EventStoreUnavailableError(`KurrentDB at ${this.server}: cannot set up the connection: ${reason}`, { cause: error });
    }
    return this.clientInstance;
  }

  /**
   * Pings until the server answers, with exponential backoff, logging each failure with the reason
   * and the server. Never throws; resolves true once connected, false if the store closed first.
   */
  waitUntilAvailable(backoff?: BackoffOptions): Promise<boolean> {
    const logger = this.options.logger;
    return retryUntilAvailable(
      () => this.ping(),
      {
        failed: (error, attempt, retryInMs) =>
          logger?.warn(`${error instanceof Error ? error.message : String(error)} — attempt ${attempt}, retrying in ${Math.round(retryInMs / 100) / 10} s`),
        succeeded: (attempts) => logger?.log(`connected to KurrentDB at ${this.server}${attempts > 1 ? ` after ${attempts} attempts` : ''}`),
      },
      this.connecting.signal,
      backoff,
    );
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, options?: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    checkStreamId(streamId);
    const data = toEventData(events);
    const streamState = toStreamState(expected);
    const context: ErrorContext = { doing: `appending to stream ${streamId}`, server: this.server, append: { streamId, expected } };
    await this.checkChain(streamId, events, expected);
    // The client sends the metadata objects `data` refers to, so what beforeWrite sets is sent too.
    options?.beforeWrite?.(events);
    let nextExpectedRevision: bigint;
    try {
      ({ nextExpectedRevision } = await this.client.appendToStream(streamId, data, { streamState }));
    } catch (error) {
      throw toStoreError(error, context);
    }
    const revision = toSafeNumber(nextExpectedRevision, `stream ${streamId}: revision`);
    const stored = await this.eventAt(streamId, revision);
    // The server answers a repeat of known event ids as a success: what it holds may be another writer's events.
    const sent = events[events.length - 1];
    const divergent =
      stored.eventId.toLowerCase() !== sent.eventId.toLowerCase() ||
      JSON.stringify(stored.data) !== JSON.stringify(sent.data) ||
      JSON.stringify(stored.metadata) !== JSON.stringify(sent.metadata);
    return { revision, position: stored.position, divergent };
  }

  /**
   * Refuses events that would not link to the stored head. The check reads the head the append
   * expects; the expected revision then guarantees that head is still the stream's last event.
   */
  private async checkChain(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<void> {
    if (typeof events[0]?.metadata?.prevHash !== 'string') return;
    if (expected === 'no_stream') return checkChainLinks(streamId, events, undefined, GENESIS_HASH);
    if (typeof expected !== 'number') return;
    const head = await this.lastOf(
      this.client.readStream(streamId, { fromRevision: BigInt(expected), maxCount: 1, direction: FORWARDS, requiresLeader: true }),
      `reading the head of ${streamId}`,
    );
    // A missing head is a wrong expected revision, which the append itself reports.
    if (head?.revision === expected) checkChainLinks(streamId, events, { revision: expected, hash: stringOrUndefined(head.metadata.hash) }, GENESIS_HASH);
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    checkStreamId(streamId);
    const from = nonNegativeInteger(options.fromRevision ?? 0, 'fromRevision');
    const to = nonNegativeInteger(options.toRevision ?? Number.MAX_SAFE_INTEGER, 'toRevision');
    const maxCount = Math.min(nonNegativeInteger(options.maxCount ?? Number.MAX_SAFE_INTEGER, 'maxCount'), to - from + 1);
    if (maxCount <= 0) return;
    const events = this.client.readStream(streamId, { fromRevision: BigInt(from), maxCount, direction: FORWARDS });
    try {
      for await (const resolved of events) yield toRecordedEvent(resolved);
    } catch (error) {
      if (isStreamNotFound(error)) return;
      throw toStoreError(error, { doing: `reading stream ${streamId}`, server: this.server });
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const after = nonNegativeInteger(options.after ?? 0, 'after');
    let remaining = nonNegativeInteger(options.maxCount ?? Number.MAX_SAFE_INTEGER, 'maxCount');
    if (remaining === 0) return;
    const events = this.client.readAll({
      fromPosition: readFrom(after),
      // The read includes the event at `after` itself; ask for one more.
      maxCount: after === 0 ? remaining : Math.min(remaining + 1, Number.MAX_SAFE_INTEGER),
      direction: FORWARDS,
      filter: excludeSystemEvents(),
    });
    try {
      for await (const resolved of events) {
        const event = toRecordedEvent(resolved);
        if (event.position <= after) continue;
        yield event;
        if (--remaining === 0) return;
      }
    } catch (error) {
      throw toStoreError(error, { doing: 'reading $all', server: this.server });
    }
  }

  subscribeToAll(options: SubscribeOptions): EventSubscription {
    this.assertOpen();
    const after = nonNegativeInteger(options.after, 'after');
    const maxBatchSize = positiveInteger(options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE, 'maxBatchSize');
    const subscription: KurrentDbSubscription = new KurrentDbSubscription({
      // The subscription's start position is exclusive; the adapter also drops anything ≤ after.
      open: () => this.client.subscribeToAll({ fromPosition: readFrom(after), filter: excludeSystemEvents() }),
      after,
      maxBatchSize,
      toError: (error) => toStoreError(error, { doing: 'following $all', server: this.server }),
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    const last = await this.lastOf(
      this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter: excludeSystemEvents() }),
      'reading the head position',
    );
    return last?.position ?? 0;
  }

  /** Reads `$all` backwards from its end to the first event before `position`: costs the events after it. */
  async positionBefore(position: number): Promise<number> {
    this.assertOpen();
    try {
      for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, filter: excludeSystemEvents() })) {
        const event = toRecordedEvent(resolved);
        if (event.position < position) return event.position;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw toStoreError(error, { doing: 'reading a position', server: this.server });
    }
    return 0;
  }

  /** One backwards read of `$all` (the cheapest call that needs the server), within `pingTimeoutMs`. */
  async ping(): Promise<void> {
    this.assertOpen();
    let timer: NodeJS.Timeout | undefined;
    const read = (async () => {
      try {
        for await (const _ of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) break;
      } catch (error) {
        throw toStoreError(error, { doing: 'pinging', server: this.server });
      }
    })();
    try {
      await Promise.race([
        read,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new EventStoreUnavailableError(`KurrentDB at ${this.server} did not answer within ${this.pingTimeoutMs} ms`)),
            this.pingTimeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      read.catch(() => undefined);
    }
  }

  /** Ends the subscriptions, stops connecting and releases the connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.connecting.abort();
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      await this.clientInstance?.dispose().catch(() => undefined);
    })();
    return this.closing;
  }

  /** The event at `revision` of `streamId`, read back after an append (see the class comment). */
  private async eventAt(streamId: string, revision: number): Promise<RecordedEvent> {
    const event = await this.lastOf(
      // From the leader, which acknowledged the append only once it was indexed.
      this.client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1, direction: FORWARDS, requiresLeader: true }),
      `reading back the position of ${streamId}@${revision}`,
    );
    if (!event || event.revision !== revision) {
      throw new Error(`stream ${streamId}: the appended event at revision ${revision} could not be read back`);
    }
    return event;
  }

  private async lastOf(events: AsyncIterable<ResolvedEvent>, doing: string): Promise<RecordedEvent | undefined> {
    let last: RecordedEvent | undefined;
    try {
      for await (const resolved of events) last = toRecordedEvent(resolved);
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw toStoreError(error, { doing, server: this.server });
    }
    return last;
  }

  private assertOpen(): void {
    if (this.closing) throw new EventStoreUnavailableError('event store is closed');
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
