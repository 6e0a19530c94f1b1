import type { EventStore } from '#event-store';
import type { Projection } from '../projection.js';
import { Projector, type ProjectorLogger, type ProjectorStatus } from '../projector/projector.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { buildGeneration } from './build-generation.js';
import { inGeneration, switchGeneration, type ReadModelGenerations } from './generations.js';

export interface RebuildStatus {
  state: 'idle' | 'rebuilding' | 'failed';
  /** The generation readers use. */
  generation: number;
  /** The rebuild in progress: the generation it builds and how far it has got. */
  rebuilding?: { generation: number; startedAt: string; checkpoint: number; head: number };
  lastRebuild?: { generation: number; startedAt: string; finishedAt: string; position: number };
  lastError?: { message: string; at: string };
}

interface RebuildRun {
  generation: number;
  startedAt: string;
  projector?: Projector;
  done: Promise<void>;
  cancelled: boolean;
  /** Asked right before the switch-over: false cancels it (the rebuild's lease was lost). */
  beforeSwitch?: () => Promise<boolean>;
}

export interface RebuildGuard {
  /** Asked right before readers are switched to the new generation: false fails the rebuild instead. */
  beforeSwitch?: () => Promise<boolean>;
}

export interface GenerationalProjectorOptions {
  eventStore: EventStore;
  /** The raw store the projections write. */
  store: ReadModelStore;
  projections: readonly Projection[];
  /** The readers' view of the current generation; told at once when this process switches. */
  generations: ReadModelGenerations;
  logger?: ProjectorLogger;
  /** How often to look for a switch made by another process (the rebuild CLI). Default 1000 ms. */
  followIntervalMs?: number;
  /**
   * Called whenever what `status()` or `rebuildStatus()` answers may have changed: a batch committed
   * (current generation or the rebuild's), a generation switched, a rebuild started or ended.
   */
  onProgress?: () => void;
}

/**
 * The projector of the current read-model generation. `rebuild()` projects everything from 0 into a
 * fresh generation beside it, and when that has caught up makes it the one readers and
 * read-your-writes use; the old generation's projector then stops. Follows switches made elsewhere.
 */
export class GenerationalProjector {
  private active: { generation: number; projector: Projector } | undefined;
  private running = false;
  private followTimer: NodeJS.Timeout | undefined;
  private swapping: Promise<void> = Promise.resolve();
  private rebuildRun: RebuildRun | undefined;
  private lastRebuild: RebuildStatus['lastRebuild'];
  private lastError: RebuildStatus['lastError'];

  constructor(private readonly options: GenerationalProjectorOptions) {}

  /** What each projector it starts is given, so that its commits count as progress. */
  private get progress(): { onCheckpoint?: () => void } {
    const onProgress = this.options.onProgress;
    return onProgress ? { onCheckpoint: () => onProgress() } : {};
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.serially(async () => this.activate(await this.options.generations.refresh()));
    this.followTimer = setInterval(() => void this.follow(), this.options.followIntervalMs ?? 1000);
    this.followTimer.unref();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.followTimer);
    const rebuild = this.rebuildRun;
    if (rebuild) {
      rebuild.cancelled = true;
      await rebuild.projector?.stop();
      await rebuild.done;
    }
    await this.swapping;
    await this.active?.projector.stop();
  }

  status(): ProjectorStatus & { generation: number } {
    if (!this.active) return { running: false, projections: [], generation: 0 };
    return { ...this.active.projector.status(), running: this.running, generation: this.active.generation };
  }

  async checkpoint(): Promise<number> {
    return this.active ? this.active.projector.checkpoint() : 0;
  }

  /** True once the current generation has processed `position`; keeps waiting across a switch. */
  async waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      const projector = this.active?.projector;
      if (projector && (await projector.waitForPosition(position, Math.max(0, Math.min(remaining, 200))))) return true;
      if (Date.now() >= deadline) return false;
      if (!projector) await new Promise((resolve) => setTimeout(resolve, Math.min(remaining, 50)));
    }
  }

  /** Starts a rebuild unless one is running; answers the status either way. */
  rebuild(guard: RebuildGuard = {}): RebuildStatus {
    if (!this.running) throw new Error('the projections are not running');
    if (!this.rebuildRun) {
      const run: RebuildRun = { generation: 0, startedAt: new Date().toISOString(), cancelled: false, done: Promise.resolve(), ...guard };
      this.rebuildRun = run;
      run.done = this.runRebuild(run).finally(() => {
        this.rebuildRun = undefined;
        this.options.onProgress?.();
      });
      this.options.onProgress?.();
    }
    return this.rebuildStatus();
  }

  /** Fails the rebuild in progress (if any) before it switches over. */
  cancelRebuild(): void {
    if (this.rebuildRun) this.rebuildRun.cancelled = true;
  }

  /** Resolves when the rebuild in progress (if any) has switched over or failed. */
  async rebuilt(): Promise<void> {
    await this.rebuildRun?.done;
  }

  rebuildStatus(): RebuildStatus {
    const run = this.rebuildRun;
    const building = run?.projector?.status().projections ?? [];
    return {
      state: run ? 'rebuilding' : this.lastError && (!this.lastRebuild || this.lastError.at > this.lastRebuild.finishedAt) ? 'failed' : 'idle',
      generation: this.active?.generation ?? 0,
      ...(run && {
        rebuilding: {
          generation: run.generation,
          startedAt: run.startedAt,
          checkpoint: building.length ? Math.min(...building.map((p) => p.checkpoint)) : 0,
          head: this.head,
        },
      }),
      ...(this.lastRebuild && { lastRebuild: { ...this.lastRebuild } }),
      ...(this.lastError && { lastError: { ...this.lastError } }),
    };
  }

  private head = 0;

  private async runRebuild(run: RebuildRun): Promise<void> {
    const { eventStore, store, projections, generations, logger } = this.options;
    try {
      const { position } = await buildGeneration({
        eventStore,
        store,
        projections,
        logger,
        ...this.progress,
        onGeneration: (generation) => {
          run.generation = generation;
          logger?.log(`rebuilding the read models into generation ${generation}`);
        },
        onProjector: (projector) => {
          run.projector = projector;
          void eventStore.headPosition().then(
            (head) => (this.head = head),
            () => undefined,
          );
        },
        isCancelled: () => run.cancelled,
        ...(run.beforeSwitch && { beforeSwitch: run.beforeSwitch }),
        handOver: (generation, projector) =>
          this.serially(async () => {
            if (run.cancelled) throw new Error('the rebuild was stopped before it switched over');
            const previous = this.active;
            this.active = { generation, projector };
            await switchGeneration(store, generation);
            generations.set(generation);
            await previous?.projector.stop();
          }),
      });
      this.lastRebuild = { generation: run.generation, startedAt: run.startedAt, finishedAt: new Date().toISOString(), position };
      logger?.log(`read models rebuilt into generation ${run.generation} up to position ${position}; readers switched over`);
    } catch (error) {
      this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
      logger?.error('the read-model rebuild failed', error);
    }
  }

  /** Another process switched generations (the rebuild CLI): carry on from the new one. */
  private async follow(): Promise<void> {
    if (!this.running || this.rebuildRun) return;
    try {
      const generation = await this.options.generations.refresh();
      if (generation !== this.active?.generation) await this.serially(() => this.activate(generation));
    } catch (error) {
      this.options.logger?.error('could not read the current read-model generation', error);
    }
  }

  private async activate(generation: number): Promise<void> {
    if (!this.running || this.active?.generation === generation) return;
    const { eventStore, store, projections, logger } = this.options;
    const projector = new Projector({ eventStore, store, projections: projections.map((p) => inGeneration(p, generation)), logger, ...this.progress });
    await projector.start();
    const previous = this.active;
    this.active = { generation, projector };
    this.options.generations.set(generation);
    this.options.onProgress?.();
    await previous?.projector.stop();
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.swapping.then(work);
    this.swapping = next.catch(() => undefined);
    return next;
  }
}
