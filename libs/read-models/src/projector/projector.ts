import type { EventStore } from '#event-store';
import { assertCollectionName, assertFieldName } from '../names.js';
import type { Projection } from '../projection.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { CheckpointWatcher } from './checkpoint-watcher.js';
import { ProjectionRunner, type ProjectionState, type ProjectorLogger } from './projection-runner.js';

export { ProjectionApplyError, type ProjectionState, type ProjectorLogger } from './projection-runner.js';

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
  /**
   * Prepares the collections without their indexes (see `ensureIndexes`' `deferred`), for a rebuild
   * into a generation nobody reads yet; `buildIndexes()` builds them before it is switched to.
   */
  deferIndexes?: boolean;
}

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
      deferIndexes: options.deferIndexes === true,
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
    const positions = await Promise.all(this.runners.map((runner) => runner.checkpoint ?? this.store.checkpoint(runner.name)));
    return Math.min(...positions);
  }

  /** Builds every index the projections declare (those `deferIndexes` left out); nothing for those in place. */
  async buildIndexes(): Promise<void> {
    for (const runner of this.runners) await runner.ensureIndexes();
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
