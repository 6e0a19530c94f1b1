import { StoreUnavailableError } from '#event-store';
/**
 * The read-model store port: named collections of JSON documents keyed by `id`, written only by
 * projections, each of which keeps a checkpoint (the global position it has processed up to).
 */

/**
 * `position` is the global position of the last event applied to the document. Projections skip an
 * event at or below it, and adapters without transactions write a put only over an older position,
 * so a replayed event never applies twice.
 */
export type ViewDocument = { id: string; position: number } & Record<string, unknown>;

export type Scalar = string | number | boolean | null;

/** Equality on top-level fields; `{ in: [...] }` matches any of the values. */
export type Where = Record<string, Scalar | { in: Scalar[] }>;

export type SortTerm = { field: string; direction?: 'asc' | 'desc' };

/** A value of a sort key: the sort fields of a keyset query hold strings or numbers (one type per field), or are null/missing. */
export type SortValue = string | number | null;

export interface FindQuery {
  where?: Where;
  /**
   * Case-insensitive substring match: a document matches when any of `fields` holds a string
   * containing `text` (both folded as `String.prototype.toLowerCase` folds them). An empty text matches
   * every document whose field is a string.
   */
  contains?: { fields: string[]; text: string };
  /** The order; the id always breaks ties (ascending, unless `orderBy` names `id` itself). */
  orderBy?: SortTerm[];
  /**
   * Keyset paging: only the documents strictly after the one whose sort key (see `sortKeyOf`) is
   * this, in the query's order. A null or missing sort field sorts before every value (so last when
   * descending), as both stores order them.
   */
  after?: SortValue[];
  limit?: number;
}

/** The sort terms a query is ordered by, the id tie-breaker included. */
export function effectiveOrder(orderBy: readonly SortTerm[] = []): SortTerm[] {
  return orderBy.some((term) => term.field === 'id') ? [...orderBy] : [...orderBy, { field: 'id' }];
}

/** The sort key of a document under `orderBy`: what `after` takes to continue after it. */
export function sortKeyOf(doc: ViewDocument, orderBy: readonly SortTerm[] = []): SortValue[] {
  return effectiveOrder(orderBy).map(({ field }) => {
    let value: unknown = doc;
    for (const key of field.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
  });
}

export type ViewChange = { kind: 'put'; collection: string; doc: ViewDocument } | { kind: 'delete'; collection: string; id: string };

export interface ProjectionBatch {
  projection: string;
  /** Changes in the order they were made; the last change to a document wins. */
  changes: ViewChange[];
  /** Global position of the last event the batch covers: the new checkpoint. */
  position: number;
}

export interface EnsureIndexesOptions {
  deferred?: boolean;
}

export interface ReadModelStore {
  get<T extends ViewDocument>(collection: string, id: string): Promise<T | null>;
  find<T extends ViewDocument>(collection: string, query?: FindQuery): Promise<T[]>;
  /** The projection's checkpoint; 0 when it has processed nothing. */
  checkpoint(projection: string): Promise<number>;
  /**
   * Applies a batch and moves the checkpoint, so that a crash leaves either all of it or none of
   * it visible, and a batch at or below the checkpoint changes nothing (replay is idempotent).
   */
  commit(batch: ProjectionBatch): Promise<void>;
  /**
   * Declares the fields a collection is queried by, so adapters can index them. `deferred`: make
   * the collection ready for writes (its table and columns) but build no index yet; a rebuild fills
   * a fresh generation first and indexes it once at the end (one sort per index instead of an
   * index update per write), by calling again without it before readers are switched over.
   */
  ensureIndexes(collection: string, fields: string[][], options?: EnsureIndexesOptions): Promise<void>;
  /**
   * Removes a collection with its documents and indexes; nothing when it does not exist. Used to
   * retire an old read-model generation after a rebuild. Optional: without it old generations stay.
   */
  dropCollection?(collection: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store cannot be reached or cannot read or write (disk full, read-only, corrupt, closed). */
export class ReadModelStoreUnavailableError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadModelStoreUnavailableError';
  }
}

/**
 * A collection or field name the store refuses (it would not be a safe identifier in every adapter).
 * Collections: a letter, then letters, digits, `_` or `-` (at most 64 characters). Fields: segments of
 * letters, digits and `_`, joined by `.`.
 */
export class InvalidReadModelNameError extends Error {
  constructor(
    readonly kind: 'collection' | 'field',
    readonly value: unknown,
  ) {
    super(`invalid ${kind} name: ${JSON.stringify(String(value)).slice(0, 100)}`);
    this.name = 'InvalidReadModelNameError';
  }
}
