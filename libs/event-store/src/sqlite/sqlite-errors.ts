import { EventStoreUnavailableError } from '../event-store.port.js';
import { isStorageFault, sqliteCode } from '../storage-faults.js';

export { isStorageFault, sqliteCode };

/** Storage faults become EventStoreUnavailableError; anything else is returned unchanged. */
export function toStoreError(error: unknown, doing: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isStorageFault(error)) return error;
  const code = sqliteCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`event store unavailable while ${doing}: ${code ? `${code} ` : ''}${reason}`, {
    cause: error,
  });
}
