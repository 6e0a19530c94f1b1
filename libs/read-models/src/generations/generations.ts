import type { Projection, ViewUnitOfWork } from '../projection.js';
import type { ReadModelStore, ViewDocument } from '../read-model-store.port.js';

/**
 * Generations of read models. A rebuild projects every view from position 0 into fresh
 * collections (generation g: `launches__g<g>`, checkpoint `launch-views@g<g>`) while readers keep
 * using the current generation; when the new one has caught up, the current generation is switched
 * to it. Generation 0 is the plain names. The current generation is kept in the store as the
 * position of a marker checkpoint, so it is switched atomically, only ever forward, on any adapter.
 */
export const CURRENT_GENERATION = 'read-model-generation';
/** The highest generation a rebuild has started, so a retried rebuild never reuses half-built collections. */
export const RESERVED_GENERATION = 'read-model-generation-reserved';

export const collectionIn = (collection: string, generation: number): string => (generation === 0 ? collection : `${collection}__g${generation}`);
export const projectionIn = (name: string, generation: number): string => (generation === 0 ? name : `${name}@g${generation}`);

/** The projection writing (and reading its own views) in that generation's collections, under that generation's checkpoint. */
export function inGeneration(projection: Projection, generation: number): Projection {
  if (generation === 0) return projection;
  const rename = (collection: string) => collectionIn(collection, generation);
  return {
    name: projectionIn(projection.name, generation),
    collections: Object.fromEntries(Object.entries(projection.collections).map(([collection, fields]) => [rename(collection), fields])),
    apply(event, views) {
      const renamed: ViewUnitOfWork = {
        get: <T extends ViewDocument>(collection: string, id: string) => views.get<T>(rename(collection), id),
        put: (collection, doc) => views.put(rename(collection), doc),
        delete: (collection, id) => views.delete(rename(collection), id),
      };
      return projection.apply(event, renamed);
    },
  };
}

export const currentGeneration = (store: ReadModelStore): Promise<number> => store.checkpoint(CURRENT_GENERATION);

/** Points every reader at `generation` (a lower one than the current is ignored). */
export async function switchGeneration(store: ReadModelStore, generation: number): Promise<void> {
  await store.commit({ projection: CURRENT_GENERATION, changes: [], position: generation });
}

/** A generation number no rebuild has used yet. */
export async function reserveGeneration(store: ReadModelStore): Promise<number> {
  const next = Math.max(await currentGeneration(store), await store.checkpoint(RESERVED_GENERATION)) + 1;
  await store.commit({ projection: RESERVED_GENERATION, changes: [], position: next });
  return next;
}

/** Drops the collections of every generation but the current one: retired ones, and any a failed rebuild left half built. */
export async function dropRetiredGenerations(store: ReadModelStore, projections: readonly Projection[]): Promise<void> {
  if (!store.dropCollection) return;
  const current = await currentGeneration(store);
  const highest = Math.max(current, await store.checkpoint(RESERVED_GENERATION));
  for (let generation = 0; generation <= highest; generation++) {
    if (generation === current) continue;
    for (const projection of projections) {
      for (const collection of Object.keys(projection.collections)) await store.dropCollection(collectionIn(collection, generation));
    }
  }
}

/** The current generation as readers see it: read from the store at most every `ttlMs`, and told at once of a switch in this process. */
export class ReadModelGenerations {
  private known: { generation: number; at: number } | undefined;
  private reading: Promise<number> | undefined;

  constructor(
    private readonly store: ReadModelStore,
    private readonly ttlMs = 1000,
  ) {}

  async current(): Promise<number> {
    if (this.known && Date.now() - this.known.at < this.ttlMs) return this.known.generation;
    return this.refresh();
  }

  /** Reads the generation from the store now. */
  refresh(): Promise<number> {
    this.reading ??= currentGeneration(this.store)
      .then((generation) => {
        if (!this.known || generation >= this.known.generation) this.known = { generation, at: Date.now() };
        return this.known.generation;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  /** This process switched generations. */
  set(generation: number): void {
    this.known = { generation, at: Date.now() };
  }
}
