import type { Projection } from '../projection.js';
import type { EnsureIndexesOptions, FindQuery, ProjectionBatch, ReadModelStore, ViewDocument } from '../read-model-store.port.js';
import { collectionIn, projectionIn, ReadModelGenerations } from './generations.js';

/**
 * What readers use: the read-model store with the projections' collections and checkpoints
 * resolved to the current generation, so every reader follows a rebuild's switch-over unchanged.
 * Writes go straight through (projections write their own generation's names).
 */
export class GenerationalReadModelStore implements ReadModelStore {
  private readonly collections: ReadonlySet<string>;
  private readonly projections: ReadonlySet<string>;

  constructor(
    readonly inner: ReadModelStore,
    projections: readonly Projection[],
    readonly generations = new ReadModelGenerations(inner),
  ) {
    this.collections = new Set(projections.flatMap((p) => Object.keys(p.collections)));
    this.projections = new Set(projections.map((p) => p.name));
  }

  private async collection(name: string): Promise<string> {
    return this.collections.has(name) ? collectionIn(name, await this.generations.current()) : name;
  }

  async get<T extends ViewDocument>(collection: string, id: string): Promise<T | null> {
    return this.inner.get<T>(await this.collection(collection), id);
  }

  async find<T extends ViewDocument>(collection: string, query?: FindQuery): Promise<T[]> {
    return this.inner.find<T>(await this.collection(collection), query);
  }

  async checkpoint(projection: string): Promise<number> {
    return this.inner.checkpoint(this.projections.has(projection) ? projectionIn(projection, await this.generations.current()) : projection);
  }

  commit(batch: ProjectionBatch): Promise<void> {
    return this.inner.commit(batch);
  }

  ensureIndexes(collection: string, fields: string[][], options?: EnsureIndexesOptions): Promise<void> {
    return this.inner.ensureIndexes(collection, fields, options);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
