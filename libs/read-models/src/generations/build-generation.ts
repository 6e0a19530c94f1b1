import type { EventStore } from '#event-store';
import type { Projection } from '../projection.js';
import { Projector, type ProjectorLogger } from '../projector/projector.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { catchUp } from './catch-up.js';
import { dropRetiredGenerations, inGeneration, reserveGeneration, switchGeneration } from './generations.js';

export interface BuiltGeneration {
  generation: number;
  /** The head position the new generation had caught up with when it was switched to. */
  position: number;
}

/**
 * Rebuilds every view from position 0 into a fresh generation, switches readers to it once it has
 * caught up with the log, and stops. For a process of its own (the CLI); a running API or projector
 * that follows generations picks the switch up and carries on from the new generation's checkpoints.
 */
export async function buildGeneration(options: {
  eventStore: EventStore;
  store: ReadModelStore;
  projections: readonly Projection[];
  logger?: ProjectorLogger;
  /** Told which generation is being built, before projecting starts. */
  onGeneration?: (generation: number) => void;
  /** The projector's batch size: REBUILD_MAX_BATCH_SIZE in a process of its own; default the projector's. */
  maxBatchSize?: number;
  /** The projector's view cache: 0 in a process of its own (see REBUILD_MAX_BATCH_SIZE); default the projector's. */
  viewCacheSize?: number;
  /** Asked right before readers are switched to the new generation: false fails the rebuild instead (its lease was lost). */
  beforeSwitch?: () => Promise<boolean>;
  /** True once the rebuild must stop (its lease was lost). */
  isCancelled?: () => boolean;
}): Promise<BuiltGeneration> {
  const { eventStore, store, projections } = options;
  await dropRetiredGenerations(store, projections);
  const generation = await reserveGeneration(store);
  options.onGeneration?.(generation);
  const projector = new Projector({
    eventStore,
    store,
    projections: projections.map((p) => inGeneration(p, generation)),
    logger: options.logger,
    ...(options.maxBatchSize !== undefined && { maxBatchSize: options.maxBatchSize }),
    ...(options.viewCacheSize !== undefined && { viewCacheSize: options.viewCacheSize }),
  });
  await projector.start();
  try {
    const position = await catchUp(projector, eventStore, options.isCancelled);
    if (options.beforeSwitch && !(await options.beforeSwitch())) throw new Error('the rebuild lost its lease before it switched over');
    await switchGeneration(store, generation);
    return { generation, position };
  } finally {
    await projector.stop();
  }
}
