import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { EventStore } from '#event-store';
import { buildGeneration, PROJECTIONS, projectionIn, type GenerationalReadModelStore, type RebuildStatus } from '#read-models';
import { EVENT_STORE, READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';

interface DetachedRun {
  generation?: number;
  startedAt: string;
  done: Promise<void>;
}

/**
 * A rebuild run by the API when the projections run in the projector process (MongoDB read
 * models): this process builds the new generation and switches to it; the projector process
 * follows the switch and carries on projecting it.
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
  ) {}

  start(): Promise<RebuildStatus> {
    if (!this.running) {
      const run: DetachedRun = { startedAt: new Date().toISOString(), done: Promise.resolve() };
      this.running = run;
      run.done = buildGeneration({
        eventStore: this.eventStore,
        store: this.views.inner,
        projections: PROJECTIONS,
        logger: { log: (message) => this.logger.log(message), error: (message) => this.logger.error(message) },
        onGeneration: (generation) => (run.generation = generation),
      })
        .then(({ generation, position }) => {
          this.views.generations.set(generation);
          this.lastRebuild = { generation, startedAt: run.startedAt, finishedAt: new Date().toISOString(), position };
        })
        .catch((error: unknown) => {
          this.lastError = { message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
          this.logger.error(`the read-model rebuild failed: ${this.lastError.message}`);
        })
        .finally(() => (this.running = undefined));
    }
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
      state: run ? 'rebuilding' : failed ? 'failed' : 'idle',
      generation,
      ...(rebuilding && { rebuilding }),
      ...(this.lastRebuild && { lastRebuild: { ...this.lastRebuild } }),
      ...(this.lastError && { lastError: { ...this.lastError } }),
    };
  }

  /** Resolves when the rebuild in progress (if any) has switched over or failed. */
  async settled(): Promise<void> {
    await this.running?.done;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }
}
