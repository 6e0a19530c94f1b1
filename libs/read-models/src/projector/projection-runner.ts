import type { EventStore, EventSubscription, RecordedEvent } from '#event-store';
import type { Projection } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { BatchUnitOfWork } from './batch-unit-of-work.js';
import type { CheckpointWatcher } from './checkpoint-watcher.js';
import { ViewCache } from './view-cache.js';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string, err?: unknown): void;
}

export type ProjectionState = 'stopped' | 'starting' | 'running' | 'retrying';

/** What every runner of a projector shares (see ProjectorOptions for their meaning and defaults). */
export interface RunnerSettings {
  eventStore: EventStore;
  store: ReadModelStore;
  maxBatchSize: number;
  viewCacheSize: number;
  logger: ProjectorLogger;
  initialDelayMs: number;
  maxDelayMs: number;
  watcher: CheckpointWatcher;
  deferIndexes: boolean;
  onCheckpoint?: (projection: string, position: number) => void;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Thrown (and retried) when a projection's `apply` fails, naming the event. */
export class ProjectionApplyError extends Error {
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'position' | 'type' | 'streamId' | 'revision'>,
    cause: unknown,
  ) {
    super(
      `projection ${projection} failed on event at position ${event.position} ` + `(${event.type}, ${event.streamId}@${event.revision}): ${messageOf(cause)}`,
      { cause },
    );
    this.name = 'ProjectionApplyError';
  }
}

/** Runs one projection: a catch-up subscription from its checkpoint, batch by batch, retried. */
export class ProjectionRunner {
  checkpoint: number | undefined;
  state: ProjectionState = 'stopped';
  failures = 0;
  lastError: { message: string; at: string } | undefined;

  private readonly writable: ReadonlySet<string>;
  private readonly committed: ViewCache;
  private stopping = false;
  private indexed = false;
  private subscription: EventSubscription | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly projection: Projection,
    private readonly options: RunnerSettings,
  ) {
    this.writable = new Set(Object.keys(projection.collections));
    this.committed = new ViewCache(options.viewCacheSize);
  }

  get name(): string {
    return this.projection.name;
  }

  /** Starts the loop; resolves once subscribed, or after the first failure (then it keeps retrying). */
  start(): Promise<void> {
    this.stopping = false;
    return new Promise<void>((ready) => {
      this.loop = this.run(ready);
    });
  }

  /** Ends the subscription and waits for the batch in flight to commit (or fail). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const subscription = this.subscription;
    if (subscription) await subscription.close().catch(() => undefined);
    await this.loop;
  }

  /** Declares the projection's collections and their indexes to the store (`deferred`: the collections only, see `ensureIndexes`). */
  async ensureIndexes(deferred = false): Promise<void> {
    for (const [collection, fields] of Object.entries(this.projection.collections)) {
      await this.options.store.ensureIndexes(collection, fields, deferred ? { deferred } : undefined);
    }
  }

  private async run(ready: () => void): Promise<void> {
    const { store, eventStore, maxBatchSize, logger, initialDelayMs, maxDelayMs, deferIndexes } = this.options;
    let delay = initialDelayMs;
    while (!this.stopping) {
      let subscription: EventSubscription | undefined;
      try {
        this.state = 'starting';
        if (!this.indexed) {
          await this.ensureIndexes(deferIndexes);
          this.indexed = true;
        }
        const checkpoint = await store.checkpoint(this.name);
        this.committed.clear(); // from the store again: another process may have moved on meanwhile
        this.setCheckpoint(checkpoint);
        if (this.stopping) break;
        subscription = eventStore.subscribeToAll({ after: checkpoint, maxBatchSize });
        this.subscription = subscription;
        if (this.stopping) break; // stop() came while subscribing and did not see it
        this.state = 'running';
        logger.log(`projection ${this.name}: following the log after position ${checkpoint}`);
        ready();
        for await (const events of subscription) {
          if (events.length > 0) {
            await this.applyBatch(events);
            this.failures = 0;
            delay = initialDelayMs;
          }
          if (this.stopping) break;
        }
        if (!this.stopping) throw new Error('the event subscription ended unexpectedly');
      } catch (err) {
        this.failures += 1;
        this.lastError = { message: messageOf(err), at: new Date().toISOString() };
        if (this.stopping) {
          logger.error(`projection ${this.name}: failed while stopping`, err);
          break;
        }
        this.state = 'retrying';
        logger.error(`projection ${this.name}: ${messageOf(err)}; retrying from its checkpoint in ${delay} ms ` + `(failure ${this.failures})`, err);
        ready();
        this.subscription = undefined;
        await subscription?.close().catch(() => undefined);
        subscription = undefined;
        await this.sleep(delay);
        delay = Math.min(delay * 2, maxDelayMs);
      } finally {
        if (this.subscription === subscription) this.subscription = undefined;
        await subscription?.close().catch(() => undefined);
      }
    }
    this.state = 'stopped';
    ready();
  }

  private async applyBatch(events: RecordedEvent[]): Promise<void> {
    const { store } = this.options;
    const checkpoint = this.checkpoint ?? 0;
    const views = new BatchUnitOfWork(store, this.writable, `projection ${this.name}`, this.committed);
    let last = checkpoint;
    for (const event of events) {
      if (event.position <= checkpoint) continue; // already committed (a redelivery)
      if (event.position <= last) {
        throw new Error(`events out of order: position ${event.position} after ${last}`);
      }
      try {
        await this.projection.apply(event, views);
      } catch (err) {
        throw new ProjectionApplyError(this.name, event, err);
      }
      last = event.position;
    }
    if (last === checkpoint) return;
    const changes = views.changes();
    try {
      await store.commit({ projection: this.name, changes, position: last });
    } catch (error) {
      this.committed.clear();
      throw error;
    }
    this.committed.committed(changes);
    this.setCheckpoint(last);
  }

  private setCheckpoint(position: number): void {
    this.checkpoint = position;
    this.options.watcher.notify(this.name, position);
    this.options.onCheckpoint?.(this.name, position);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }
}
