import type { EventStore } from '#event-store';
import type { Projection } from '../projection.js';
import { Projector, type ProjectorLogger } from '../projector/projector.js';
import type { ReadModelStore } from '../read-model-store.port.js';
import { dropRetiredGenerations, inGeneration, reserveGeneration, switchGeneration } from './generations.js';

export interface BuiltGeneration {
  generation: number;
  /** The head position the new generation had caught up with when it was switched to. */
  position: number;
}

export interface BuildGenerationOptions {
  eventStore: EventStore;
  store: ReadModelStore;
  projections: readonly Projection[];
  logger?: ProjectorLogger;
  /** Told which generation is being built, before projecting starts. */
  onGeneration?: (generation: number) => void;
  /** Told of the new generation's projector before it starts (to report its progress, or stop it). */
  onProjector?: (projector: Projector) => void;
  /** Called after each batch the new generation's projector commits. */
  onCheckpoint?: () => void;
  /** The projector's batch size: REBUILD_MAX_BATCH_SIZE in a process of its own; default the projector's. */
  maxBatchSize?: number;
  /** The projector's view cache: 0 in a process of its own (see REBUILD_MAX_BATCH_SIZE); default the projector's. */
  viewCacheSize?: number;
  /** Asked right before readers are switched to the new generation: false fails the rebuild instead (its lease was lost). */
  beforeSwitch?: () => Promise<boolean>;
  /** True once the rebuild must stop (its lease was lost, its process stops). */
  isCancelled?: () => boolean;
  /**
   * Switches readers to the caught-up generation and takes its projector over, to keep it running
   * as the live one (a rebuild inside a running projector). Without it the stored generation is
   * switched and the projector stops.
   */
  handOver?: (generation: number, projector: Projector) => Promise<void>;
}

/**
 * The one way a rebuild runs, whoever starts it (the CLI, an API beside the projecting process, a
 * running GenerationalProjector, the benchmark): every view from position 0 into a fresh generation
 * by a Projector of its own, its indexes built once it has caught up with the log (not maintained
 * write by write: a 1,000,000-event rebuild spent most of its store time there), and readers
 * switched to it once it has caught up again. Other
 * processes that follow generations pick the switch up and carry on from the new one's checkpoints.
 */
export async function buildGeneration(options: BuildGenerationOptions): Promise<BuiltGeneration> {
  const { eventStore, store, projections, isCancelled = () => false } = options;
  await dropRetiredGenerations(store, projections);
  const generation = await reserveGeneration(store);
  options.onGeneration?.(generation);
  const projector = new Projector({
    eventStore,
    store,
    projections: projections.map((p) => inGeneration(p, generation)),
    logger: options.logger,
    ...(options.onCheckpoint && { onCheckpoint: options.onCheckpoint }),
    ...(options.maxBatchSize !== undefined && { maxBatchSize: options.maxBatchSize }),
    ...(options.viewCacheSize !== undefined && { viewCacheSize: options.viewCacheSize }),
    deferIndexes: true,
  });
  options.onProjector?.(projector);
  let handedOver = false;
  try {
    await projector.start();
    await catchUp(projector, eventStore, isCancelled);
    // Indexed once, over the whole generation, then caught up with what came meanwhile.
    await projector.buildIndexes();
    const position = await catchUp(projector, eventStore, isCancelled);
    if (isCancelled()) throw new Error('the rebuild was stopped before it switched over');
    if (options.beforeSwitch && !(await options.beforeSwitch())) throw new Error('the rebuild lost its lease before it switched over');
    if (options.handOver) {
      await options.handOver(generation, projector);
      handedOver = true;
    } else {
      await switchGeneration(store, generation);
    }
    return { generation, position };
  } finally {
    if (!handedOver) await projector.stop();
  }
}

/** Waits until the projector has processed every event stored when it last looked (the head moves while it works). */
async function catchUp(projector: Projector, eventStore: EventStore, isCancelled: () => boolean): Promise<number> {
  for (;;) {
    if (isCancelled()) throw new Error('the rebuild was stopped before it caught up');
    const head = await eventStore.headPosition();
    if (await projector.waitForPosition(head, 500)) return head;
  }
}
