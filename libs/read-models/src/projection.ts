import type { RecordedEvent } from '#event-store';
import type { ViewDocument } from './read-model-store.port.js';

/** What a projection sees of the views while it applies a batch: reads see its own earlier writes. */
export interface ViewUnitOfWork {
  get<T extends ViewDocument>(collection: string, id: string): Promise<T | null>;
  put(collection: string, doc: ViewDocument): void;
  delete(collection: string, id: string): void;
}

/** A projection folds the global log into view documents; it must be deterministic. */
export interface Projection {
  name: string;
  /** Collections it writes, each with the field sets it is queried by. */
  collections: Record<string, string[][]>;
  apply(event: RecordedEvent, views: ViewUnitOfWork): Promise<void>;
}
