/**
 * KurrentDB client errors → the port's errors. Pure: recognises errors by their `type`, gRPC
 * `code`, `name` and message, so it works for both transports the client uses (grpc-js for appends
 * and subscriptions, the native bridge for reads), whose errors differ in shape.
 */
import { EventStoreUnavailableError, WrongExpectedRevisionError, type ExpectedRevision } from '../event-store.port.js';
import { toSafeNumber } from './positions.js';

/** gRPC status codes that mean "the server cannot be used right now". */
const UNAVAILABLE_CODES = new Map<number, string>([
  [4, 'deadline exceeded'],
  [14, 'unavailable'],
]);
const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);
const UNAVAILABLE_NAMES = new Set(['UnavailableError', 'DeadlineExceededError', 'TimeoutError', 'NotLeaderError', 'DiscoveryError']);
const NETWORK_FAILURE =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|No connection established|Failed to connect|failed to discover|certificate|handshake/i;

interface ClientErrorShape {
  type?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  streamName?: unknown;
  actualState?: unknown;
}

export interface ErrorContext {
  /** What the store was doing, e.g. "appending to stream launch-1". */
  doing: string;
  /** The server, as it may be logged (no credentials). */
  server: string;
  /** For appends: the stream and the expected revision that was sent. */
  append?: { streamId: string; expected: ExpectedRevision };
}

/** The port's error for a client error: a conflict, "unavailable", or the error itself. */
export function toStoreError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof WrongExpectedRevisionError || error instanceof EventStoreUnavailableError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ClientErrorShape;
  if (shape.type === 'wrong-expected-version' && context.append) {
    return new WrongExpectedRevisionError(context.append.streamId, context.append.expected, actualRevision(shape.actualState));
  }
  if (shape.type === 'access-denied') {
    return new EventStoreUnavailableError(`KurrentDB at ${context.server} denied access while ${context.doing}: check the credentials in EVENT_STORE_URL`, {
      cause: error,
    });
  }
  const reason = unavailableReason(shape);
  if (reason !== undefined) {
    return new EventStoreUnavailableError(`KurrentDB at ${context.server} is unavailable while ${context.doing}: ${reason}`, { cause: error });
  }
  return error;
}

/** True for the client's "stream not found" (a read of a stream that does not exist). */
export function isStreamNotFound(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ClientErrorShape;
  return shape.type === 'stream-not-found' || shape.name === 'StreamNotFoundError';
}

function actualRevision(actual: unknown): number | 'no_stream' {
  if (typeof actual === 'bigint') return toSafeNumber(actual, 'current revision');
  return 'no_stream';
}

/** Why the server cannot be used, or undefined when the error is something else. */
function unavailableReason(shape: ClientErrorShape): string | undefined {
  const message = typeof shape.message === 'string' ? shape.message.trim() : '';
  const typed =
    (typeof shape.type === 'string' && UNAVAILABLE_TYPES.has(shape.type)) ||
    (typeof shape.code === 'number' && UNAVAILABLE_CODES.has(shape.code)) ||
    (typeof shape.name === 'string' && UNAVAILABLE_NAMES.has(shape.name));
  if (!typed && !NETWORK_FAILURE.test(message)) return undefined;
  // The native bridge's errors carry only their class name as message: say something useful instead.
  if (message === '' || /^[A-Za-z]+Error$/.test(message)) {
    if (typeof shape.type === 'string' && shape.type !== 'unknown') return `${shape.type.replace(/-/g, ' ')} (no connection to the server)`;
    if (typeof shape.code === 'number' && UNAVAILABLE_CODES.has(shape.code)) return UNAVAILABLE_CODES.get(shape.code)!;
    return 'no connection to the server';
  }
  return message.replace(/\s*Resolution note:\s*$/, '');
}
