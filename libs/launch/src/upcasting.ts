import { isLaunchEventType, type LaunchEvent, type LaunchEventType } from './events.js';

/**
 * Event schema evolution. Stored events are never rewritten: each is recorded with the schema
 * version of its type (`metadata.schemaVersion`; absent means 1), and events of an older version
 * are brought to the current shape here, when read, by a chain of pure upcasters.
 */

/** The current schema version of each event type; types not listed are at version 1. */
const EVENT_SCHEMA_VERSIONS: Readonly<Partial<Record<LaunchEventType, number>>> = {
  // v2: `details.repsTotal` (the size of the sales team) joined `repsTrained`.
  SalesTrained: 2,
};

export const schemaVersionOf = (type: string): number => EVENT_SCHEMA_VERSIONS[type as LaunchEventType] ?? 1;

type Data = Record<string, unknown>;

/** Upcasters by type, indexed by the version they upgrade from (1 → 2 at index 1). */
const UPCASTERS: Partial<Record<LaunchEventType, Record<number, (data: Data) => Data>>> = {
  SalesTrained: {
    /** v1 knew only how many reps were trained: the whole team is taken to be those trained. */
    1: (data) => {
      const details = (data.details ?? {}) as Data;
      if (details.repsTotal !== undefined) return data;
      return { ...data, details: { ...details, repsTotal: details.repsTrained } };
    },
  },
};

/** A stored event as far as upcasting needs it. */
export interface StoredEventShape {
  type: string;
  data: Data;
  metadata: Data;
}

/** The data of a stored event in the current shape of its type; the stored object is left untouched. */
function upcastData(type: string, data: Data, storedVersion: number): Data {
  const steps = UPCASTERS[type as LaunchEventType] ?? {};
  let upcast = data;
  for (let version = storedVersion; version < schemaVersionOf(type); version++) {
    const step = steps[version];
    if (step) upcast = step(upcast);
  }
  return upcast;
}

/**
 * The one way stored events become domain events: unknown types are skipped (null), older schema
 * versions are upcast. Every reader that folds events (commands, projections, time travel) uses it.
 */
export function toLaunchEvent(stored: StoredEventShape): LaunchEvent | null {
  if (!isLaunchEventType(stored.type)) return null;
  const version = typeof stored.metadata.schemaVersion === 'number' ? stored.metadata.schemaVersion : 1;
  return { type: stored.type, data: upcastData(stored.type, stored.data, version) } as LaunchEvent;
}
