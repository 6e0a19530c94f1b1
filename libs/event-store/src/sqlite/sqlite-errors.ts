import { EventStoreUnavailableError } from '../event-store.port.js';

/**
 * Primary SQLite result codes that mean "the store cannot work right now" (storage full,
 * read-only, I/O failure, locked by someone else, unopenable or damaged file) as opposed to a
 * problem with one particular append. Extended codes (SQLITE_IOERR_FSYNC…) match by prefix.
 */
export const STORAGE_FAULT_CODES: readonly string[] = [
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_NOMEM',
  'SQLITE_PERM',
  'SQLITE_PROTOCOL',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_NOLFS',
  'SQLITE_AUTH',
];

export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * True for faults of the storage rather than of the request: an SQLite code starting with one of
 * `codes`, a Node system error (creating the folder: EACCES, ENOTDIR, EROFS, ENOSPC…), or a
 * connection closed underneath us (better-sqlite3 throws a TypeError). Self-contained: the append
 * worker runs its source.
 */
export function isStorageFaultWith(error: unknown, codes: readonly string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return codes.some((c) => code === c || code.startsWith(`${c}_`));
  }
  if (error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string') return true;
  return error instanceof TypeError && /database connection is not open/i.test(error.message);
}

/** True for faults of the storage rather than of the request (see STORAGE_FAULT_CODES). */
export function isStorageFault(error: unknown): boolean {
  return error instanceof EventStoreUnavailableError || isStorageFaultWith(error, STORAGE_FAULT_CODES);
}

/** Storage faults become EventStoreUnavailableError; anything else is returned unchanged. */
export function toStoreError(error: unknown, doing: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isStorageFault(error)) return error;
  const code = sqliteCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  return new EventStoreUnavailableError(`event store unavailable while ${doing}: ${code ? `${code} ` : ''}${reason}`, {
    cause: error,
  });
}
