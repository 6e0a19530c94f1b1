import { CheckpointWatcher, type GenerationalReadModelStore, type ProjectorLogger, type ProjectorStatus, type RebuildStatus } from '#read-models';
import { LeaseKeeper, LEASES } from '#leases';
import type { RunningProjections } from '../store-tokens.js';
import type { LeaseContext } from './leased-rebuild.js';

export interface LeasedProjectionsOptions {
  leases: LeaseContext;
  /** A fresh runner of the projections (thread or in-process), started while this process holds the lease. */
  create: () => RunningProjections;
  /** What readers read: the watcher follows the checkpoints of its current generation. */
  views: GenerationalReadModelStore;
  projections: string[];
  logger: ProjectorLogger;
}

/**
 * The embedded projections under the `projector` lease (DATA_DIR/leases.sqlite): with several API
 * processes (or `npm run projector`) on one DATA_DIR only the holder projects. The others answer
 * read-your-writes waits, readiness and status from the stored checkpoints, and take over within
 * the lease's ttl when the holder dies.
 */
export class LeasedProjections implements RunningProjections {
  private current: RunningProjections | undefined;
  private readonly keeper: LeaseKeeper;
  private readonly watcher: CheckpointWatcher;
  private lookTimer: NodeJS.Timeout | undefined;
  /** Whether some process held the lease at the last look, and the generation readers use. */
  private seen = { held: false, generation: 0 };
  /** The start of the runner taken last, awaited by start() only (the lease keeper goes on renewing meanwhile). */
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly options: LeasedProjectionsOptions) {
    this.watcher = CheckpointWatcher.polling(options.views, options.projections, 50);
    const { store, owner, ttlMs } = options.leases;
    this.keeper = new LeaseKeeper({
      store,
      name: LEASES.projector,
      owner,
      ttlMs,
      logger: { log: (message) => options.logger.log(message), warn: (message) => options.logger.error(message) },
      onAcquired: async () => {
        const runner = options.create();
        this.current = runner;
        // Not awaited: no renewal is tried until this returns, and on a loaded machine a thread may
        // take longer to start than the lease lasts (stop() is safe on a runner still starting).
        this.starting = Promise.resolve(runner.start()).catch((error: unknown) => options.logger.error('the projections failed to start', error));
      },
      onLost: async () => {
        const runner = this.current;
        this.current = undefined;
        await runner?.stop();
      },
    });
  }

  /** What runs the projections here while this process holds the lease. */
  get runner(): RunningProjections | undefined {
    return this.current;
  }

  /** True while this process holds the lease and runs the projections. */
  get projectsHere(): boolean {
    return this.current !== undefined;
  }

  /** Takes the lease if it is free and, if so, resolves once the projections follow the log here. */
  async start(): Promise<void> {
    this.keeper.start();
    await this.keeper.tick();
    await this.starting;
    await this.look();
    this.lookTimer = setInterval(() => void this.look(), Math.max(50, Math.floor(this.options.leases.ttlMs / 3)));
    this.lookTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.lookTimer);
    await this.keeper.stop();
    this.watcher.close();
  }

  status(): ProjectorStatus & { generation: number } {
    if (this.current) return this.current.status();
    const state = this.seen.held ? 'running' : 'stopped';
    const checkpoint = this.watcher.current();
    return {
      running: this.seen.held,
      generation: this.seen.generation,
      projections: this.options.projections.map((name) => ({ name, checkpoint, state, failures: 0 })),
    };
  }

  /** This process's rebuilds only (ProjectionsController asks DetachedRebuild when another process projects). */
  rebuildStatus(): RebuildStatus {
    return this.current ? this.current.rebuildStatus() : { state: 'idle', generation: this.seen.generation };
  }

  rebuild(): RebuildStatus | Promise<RebuildStatus> {
    if (!this.current) throw new Error('the projections run in another process');
    return this.current.rebuild();
  }

  checkpoint(): Promise<number> {
    return this.current ? this.current.checkpoint() : this.watcher.checkpoint();
  }

  waitForPosition(position: number, timeoutMs: number): Promise<boolean> {
    return this.current ? this.current.waitForPosition(position, timeoutMs) : this.watcher.waitForPosition(position, timeoutMs);
  }

  /** Who projects (for status and readiness) and how far the stored checkpoints are. */
  private async look(): Promise<void> {
    try {
      const holder = await this.options.leases.store.holder(LEASES.projector);
      this.seen = { held: holder !== null, generation: await this.options.views.generations.refresh() };
      if (!this.current) await this.watcher.checkpoint();
    } catch (error) {
      this.seen = { ...this.seen, held: false };
      this.options.logger.error('cannot tell who runs the projections', error);
    }
  }
}
