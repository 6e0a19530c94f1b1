import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#event-store';
import { LEASES } from '#leases';
import { buildGeneration, PROJECTIONS, projectionIn, type GenerationalReadModelStore, type RebuildStatus } from '#read-models';
import { EVENT_STORE, READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';
import { RebuildRunningError, takeRebuildLease, type LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';

interface DetachedRun {
  generation?: number;
  startedAt: string;
  done: Promise<void>;
  cancelled: boolean;
}

/**
 * A rebuild run by the API when the projections run in another process (the projector process on
 * MongoDB, or another API holding the embedded `projector` lease): this process builds the new
 * generation under the `rebuild` lease and switches to it; the projecting process follows the switch.
 */
@Injectable()
export class DetachedRebuild implements OnApplicationShutdown {
  private readonly logger = new Logger('Rebuild');
  private running: DetachedRun | undefined;
  private lastRebuild: RebuildStatus['lastRebuild'];
  private lastError: RebuildStatus['lastError'];

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_MODEL_STORE) private readonly views: GenerationalReadModelStore,
    @Inject(LEASE_CONTEXT) private readonly leases: LeaseContext,
  ) {}

  /** Starts a rebuild; RebuildRunningError when one runs already, here or in any other process. */
  async start(): Promise<RebuildStatus> {
    if (this.running) throw new RebuildRunningError('this process');
    const run: DetachedRun = { startedAt: new Date().toISOString(), done: Promise.resolve(), cancelled: false };
    this.running = run;
    let held: Awaited<ReturnType<typeof takeRebuildLease>>;
    try {
      held = await takeRebuildLease(this.leases, () => (run.cancelled = true));
    } catch (error) {
      this.running = undefined;
      throw error;
    }
    run.done = buildGeneration({
      eventStore: this.eventStore,
      store: this.views.inner,
      projections: PROJECTIONS,
      logger: { log: (message) => this.logger.log(message), error: (message) => this.logger.error(message) },
      onGeneration: (generation) => (run.generation = generation),
      beforeSwitch: () => held.stillHeld(),
      isCancelled: () => run.cancelled,
    })
      .then(({ generation, position }) => {
        this.views.generations.set(generation);
        this.lastRebuild = { generation, startedAt: run.startedAt, finishedAt: new Date().toISOString(), position };
      })
      .catch((error: unknown) => {
        this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
        this.logger.error(`the read-model rebuild failed: ${this.lastError.message}`);
      })
      .finally(async () => {
        await held.release();
        this.running = undefined;
      });
    return this.status();
  }

  async status(): Promise<RebuildStatus> {
    const run = this.running;
    const generation = await this.views.generations.refresh();
    let rebuilding: RebuildStatus['rebuilding'];
    if (run?.generation !== undefined) {
      const checkpoints = await Promise.all(PROJECTIONS.map((p) => this.views.inner.checkpoint(projectionIn(p.name, run.generation!))));
      rebuilding = { generation: run.generation, startedAt: run.startedAt, checkpoint: Math.min(...checkpoints), head: await this.eventStore.headPosition() };
    }
    const failed = this.lastError && (!this.lastRebuild || this.lastError.at > this.lastRebuild.finishedAt);
    return {
      state: run || (await this.runningElsewhere()) ? 'rebuilding' : failed ? 'failed' : 'idle',
      generation,
      ...(rebuilding && { rebuilding }),
      ...(this.lastRebuild && { lastRebuild: { ...this.lastRebuild } }),
      ...(this.lastError && { lastError: { ...this.lastError } }),
    };
  }

  /** Whether any process (an API, the rebuild CLI) holds the rebuild lease now. */
  async runningElsewhere(): Promise<boolean> {
    return (await this.leases.store.holder(LEASES.rebuild).catch(() => null)) !== null;
  }

  /** Resolves when the rebuild in progress (if any) has switched over or failed. */
  async settled(): Promise<void> {
    await this.running?.done;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}
