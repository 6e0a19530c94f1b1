import { StoreUnavailableError } from '#event-store';
/**
 * Which MongoDB driver errors mean "the database cannot be reached or cannot serve us now" (a 503),
 * as opposed to a bug in the request. Matched by name and code, not `instanceof`, so errors from
 * another copy of the driver (module isolation in tests) are recognised too.
 */

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
  'MongoStalePrimaryError',
  'MongoUnavailableError',
]);

/** Server error codes of a node that cannot serve now: no primary, shutting down, auth, disk, timeouts. */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  13, // Unauthorized
  18, // AuthenticationFailed
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  14031, // OutOfDiskSpace
]);

export const DUPLICATE_KEY = 11000;

export function isMongoUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof name === 'string' && name.startsWith('Mongo') && typeof code === 'number') return UNAVAILABLE_CODES.has(code);
  return false;
}

export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/** The indexes (into the bulk's operations) of the write errors of a failed unordered bulk write. */
export function bulkWriteErrors(err: unknown): Array<{ index: number; code: number; message: string }> | null {
  if (typeof err !== 'object' || err === null || (err as { name?: unknown }).name !== 'MongoBulkWriteError') return null;
  const raw = (err as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((e: { index?: number; code?: number; errmsg?: string; message?: string }) => ({
    index: Number(e.index),
    code: Number(e.code),
    message: String(e.errmsg ?? e.message ?? ''),
  }));
}

/** Thrown by `MongoConnection` while it cannot reach the server (a StoreUnavailableError: HTTP 503). */
export class MongoUnavailableError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MongoUnavailableError';
  }
}
