import type { EventStore, EventSubscription, RecordedEvent } from '#event-store';
import { assertCollectionName, assertFieldName } from '../names.js';
import type { Projection } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { BatchUnitOfWork } from './batch-unit-of-work.js';
import { CheckpointWatcher } from './checkpoint-watcher.js';
import { ViewCache } from './view-cache.js';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string, err?: unknown): void;
}

/**
 * `maxBatchSize` for an offline rebuild (`projections:rebuild`, bench/rebuild.ts), where no API waits
 * on the event loop between batches. A batch writes each document it touched once, and its commit
 * writes each page it dirtied once, so bigger batches write less; but a batch's events and documents
 * are all in memory: 5000 kept a rebuild of 1,000,000 events at ~350 MB peak RSS (10000: ~390 MB)
 * on the embedded stores.
 * An offline rebuild also runs without a view cache (`viewCacheSize: 0`): a 5000-event batch
 * already reads each document once, and 10,000 cached launches took a 1,000,000-event rebuild's
 * peak RSS from ~330 to 630 MB.
 */
export const REBUILD_MAX_BATCH_SIZE = 5000;

export interface ProjectorOptions {
  eventStore: EventStore;
  store: ReadModelStore;
  projections: Projection[];
  /**
   * Largest batch of events applied in one store commit. Default 1000, which bounds how long one
   * batch keeps a process serving requests from its event loop; see REBUILD_MAX_BATCH_SIZE.
   */
  maxBatchSize?: number;
  logger?: ProjectorLogger;
  /** Backoff after a failed batch: starts at `initialDelayMs` (100), doubles up to `maxDelayMs` (5000). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * Told of every checkpoint move. Default: an in-process watcher (no polling) over these
   * projections; pass one to share it with the rest of the process.
   */
  watcher?: CheckpointWatcher;
  /**
   * How many documents each projection keeps as committed between batches (see ViewCache), so that
   * the next event on a launch does not read and parse its view again. Default 10,000, as many as
   * the command side keeps launch folds: a launch view of ~30 tasks is ~20 KB of heap, so up to
   * ~200 MB once 10,000 launches have changed (the benchmark's 6,000 fit; with 2,000 its projection
   * lag p99 went from 58 ms to 91-102 ms). 0 turns it off.
   */
  viewCacheSize?: number;
  /** Called after every checkpoint move (each committed batch), after the watcher. */
  onCheckpoint?: (projection: string, position: number) => void;
}

export type ProjectionState = 'stopped' | 'starting' | 'running' | 'retrying';

export interface ProjectionStatus {
  name: string;
  /** Global position of the last event the projection has committed (0: none). */
  checkpoint: number;
  state: ProjectionState;
  /** Consecutive failures since the last successful batch. */
  failures: number;
  /** The most recent failure, kept after recovery (compare `at`, or look at `state`). */
  lastError?: { message: string; at: string };
}

export interface ProjectorStatus {
  running: boolean;
  projections: ProjectionStatus[];
}

const consoleLogger: ProjectorLogger = {
  log: (message) => console.log(message),
  error: (message, err) => console.error(message, err),
};

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
      `projection ${projection} failed on event at position ${event.position} ` +
        `(${event.type}, ${event.streamId}@${event.revision}): ${messageOf(cause)}`,
      { cause },
    );
    this.name = 'ProjectionApplyError';
  }
}

/** Runs one projection: a catch-up subscription from its checkpoint, batch by batch, retried. */
class ProjectionRunner {
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
    private readonly options: Required<Pick<ProjectorOptions, 'eventStore' | 'store' | 'maxBatchSize' | 'viewCacheSize'>> & {
      logger: ProjectorLogger;
      initialDelayMs: number;
      maxDelayMs: number;
      watcher: CheckpointWatcher;
      onCheckpoint?: (projection: string, position: number) => void;
    },
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

  private async run(ready: () => void): Promise<void> {
    const { store, eventStore, maxBatchSize, logger, initialDelayMs, maxDelayMs } = this.options;
    let delay = initialDelayMs;
    while (!this.stopping) {
      let subscription: EventSubscription | undefined;
      try {
        this.state = 'starting';
        if (!this.indexed) {
          for (const [collection, fields] of Object.entries(this.projection.collections)) {
            await store.ensureIndexes(collection, fields);
          }
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
        logger.error(
          `projection ${this.name}: ${messageOf(err)}; retrying from its checkpoint in ${delay} ms ` +
            `(failure ${this.failures})`,
          err,
        );
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

/**
 * The projector: runs every projection from its own checkpoint over the event store's global log,
 * applying each delivered batch through a unit of work and committing the batch's view changes with
 * the new checkpoint in one store commit. A failing batch is logged and retried from the stored
 * checkpoint with exponential backoff; no event is ever skipped.
 */
export class Projector {
  private readonly runners: ProjectionRunner[];
  private readonly store: ReadModelStore;
  private readonly checkpoints: CheckpointWatcher;
  private running = false;
  private starting: Promise<void> | undefined;

  constructor(options: ProjectorOptions) {
    const names = new Set<string>();
    const owners = new Map<string, string>();
    for (const projection of options.projections) {
      if (typeof projection.name !== 'string' || projection.name.length === 0) {
        throw new TypeError('a projection needs a name');
      }
      if (names.has(projection.name)) throw new Error(`two projections are named ${projection.name}`);
      names.add(projection.name);
      for (const [collection, fields] of Object.entries(projection.collections)) {
        assertCollectionName(collection);
        for (const set of fields) for (const field of set) assertFieldName(field);
        const owner = owners.get(collection);
        if (owner) throw new Error(`projections ${owner} and ${projection.name} both write ${collection}`);
        owners.set(collection, projection.name);
      }
    }
    const maxBatchSize = options.maxBatchSize ?? 1000;
    if (!Number.isSafeInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new TypeError(`maxBatchSize must be a positive integer, got ${String(options.maxBatchSize)}`);
    }
    this.store = options.store;
    this.checkpoints = options.watcher ?? CheckpointWatcher.inProcess(options.store, [...names]);
    const viewCacheSize = options.viewCacheSize ?? 10_000;
    if (!Number.isSafeInteger(viewCacheSize) || viewCacheSize < 0) {
      throw new TypeError(`viewCacheSize must be a non-negative integer, got ${String(options.viewCacheSize)}`);
    }
    const settings = {
      eventStore: options.eventStore,
      viewCacheSize,
      store: options.store,
      maxBatchSize,
      logger: options.logger ?? consoleLogger,
      initialDelayMs: options.retry?.initialDelayMs ?? 100,
      maxDelayMs: options.retry?.maxDelayMs ?? 5000,
      watcher: this.checkpoints,
      ...(options.onCheckpoint && { onCheckpoint: options.onCheckpoint }),
    };
    this.runners = options.projections.map((projection) => new ProjectionRunner(projection, settings));
  }

  /** The watcher the projector notifies after each commit. */
  get watcher(): CheckpointWatcher {
    return this.checkpoints;
  }

  /**
   * Starts every projection. Resolves once each is following the log or has failed once (it then
   * keeps retrying; see `status()`).
   */
  async start(): Promise<void> {
    if (this.running) return this.starting;
    this.running = true;
    this.starting = Promise.all(this.runners.map((runner) => runner.start())).then(() => undefined);
    return this.starting;
  }

  /** Ends the subscriptions and waits for the batches in flight to commit. */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.starting;
    await Promise.all(this.runners.map((runner) => runner.stop()));
    this.running = false;
  }

  /** The lowest checkpoint over the projections: the position every view has processed. */
  async checkpoint(): Promise<number> {
    if (this.runners.length === 0) return 0;
    const positions = await Promise.all(
      this.runners.map((runner) => runner.checkpoint ?? this.store.checkpoint(runner.name)),
    );
    return Math.min(...positions);
  }

  /** True as soon as every projection has committed `position`; false after `timeoutMs`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.checkpoints.waitForPosition(position, timeoutMs);
  }

  status(): ProjectorStatus {
    return {
      running: this.running,
      projections: this.runners.map((runner) => ({
        name: runner.name,
        checkpoint: runner.checkpoint ?? 0,
        state: runner.state,
        failures: runner.failures,
        ...(runner.lastError ? { lastError: { ...runner.lastError } } : {}),
      })),
    };
  }
}
