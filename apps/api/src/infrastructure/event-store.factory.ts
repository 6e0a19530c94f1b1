import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '#event-store';
import type { AppConfig } from '../config/app-config.js';

/** The event store the configuration names: the embedded SQLite one unless EVENT_STORE_URL is set. */
export function createEventStore(config: AppConfig): EventStore {
  return new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite') });
}
