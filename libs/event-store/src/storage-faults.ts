/**
 * The one classification of storage faults, shared by the embedded stores (events, read models,
 * access) and the HTTP mapping: a fault of the storage ("cannot work right now": full, read-only,
 * failing, locked, damaged, gone) as opposed to a problem with one particular request.
 * Imports nothing, so worker threads load it cheaply.
 */

/** Any store that cannot be reached, read or written now: HTTP 503 with Retry-After. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Primary SQLite result codes that mean the storage is failing (storage full, read-only, I/O
 * failure, locked by someone else, unopenable or damaged file, refused). Extended codes
 * (SQLITE_IOERR_FSYNC…) match by prefix.
 */
export const SQLITE_FAULT_CODES: readonly string[] = [
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

/** The error's SQLite result code (`SQLITE_…`), if it has one. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** An SQLite error whose code is a storage fault (see SQLITE_FAULT_CODES). */
export function isSqliteFault(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && SQLITE_FAULT_CODES.some((c) => code === c || code.startsWith(`${c}_`));
}

/**
 * True for faults of the storage rather than of the request: a StoreUnavailableError, an SQLite
 * fault code, a Node system error (creating the folder, opening the file: EACCES, ENOTDIR, EROFS,
 * ENOSPC…), or a connection closed underneath us (better-sqlite3 throws a TypeError).
 */
export function isStorageFault(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (sqliteCode(error) !== undefined) return isSqliteFault(error);
  // Not `instanceof Error`: Node's own errors come from another realm under jest's module isolation.
  const { code, syscall } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; syscall?: unknown };
  if (typeof syscall === 'string' || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) return true;
  return error instanceof TypeError && /database connection is not open/i.test(error.message);
}
