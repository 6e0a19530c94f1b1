import { join } from 'node:path';
import { KurrentDbEventStore, SqliteEventStore, type EventStore } from '#event-store';
import { consoleLogger, type StoreLogger } from './logger.js';
import { redactUrl, type StoreConfig } from './store-config.js';

const KURRENTDB_URL = /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\//i;

/** The embedded event store's file in DATA_DIR. */
export const embeddedEventsFile = (config: Pick<StoreConfig, 'dataDir'>): string => join(config.dataDir, 'events.sqlite');

/**
 * The event store the configuration names: KurrentDB/EventStoreDB when EVENT_STORE_URL is set
 * (`kurrentdb://…` or legacy `esdb://…`), the embedded SQLite one otherwise.
 *
 * A KurrentDB server that cannot be reached does not stop the start: the store connects in the
 * background with backoff, logging the server (without credentials) and the reason; meanwhile
 * /health/ready says not ready and commands answer 503.
 */
export function createEventStore(config: Pick<StoreConfig, 'dataDir' | 'eventStoreUrl'>, logger: StoreLogger = consoleLogger): EventStore {
  const url = config.eventStoreUrl;
  if (!url) return new SqliteEventStore({ filename: embeddedEventsFile(config) });
  const server = redactUrl(url);
  if (!KURRENTDB_URL.test(url)) {
    throw new Error(`EVENT_STORE_URL must be a kurrentdb:// (or legacy esdb://) connection string, got ${server}`);
  }
  logger.log(`events in KurrentDB at ${server}`);
  const store = new KurrentDbEventStore({
    connectionString: url,
    server,
    logger: { log: (message) => logger.log(message), warn: (message) => logger.warn(message) },
  });
  void store.waitUntilAvailable();
  return store;
}
