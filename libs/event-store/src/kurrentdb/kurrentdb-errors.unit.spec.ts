import { describe, expect, it } from '@jest/globals';
import { AccessDeniedError, DeadlineExceededError, StreamNotFoundError, UnavailableError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.port.js';
import { isStreamNotFound, toStoreError } from './kurrentdb-errors.js';

const server = 'kurrentdb://127.0.0.1:1?tls=false';

/** The error grpc-js gives an append when nothing listens on the port (seen against 127.0.0.1:1). */
const refusedAppend = () =>
  Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: '), {
    code: 14,
    details: 'No connection established.',
  });

/** The error the native bridge gives a read in the same situation: its message is only its class name. */
const bridgeUnavailable = () => new UnavailableError(Object.assign(new Error('UnavailableError'), { name: 'UnavailableError' }) as never);

describe('KurrentDB errors → port errors', () => {
  it('maps WrongExpectedVersionError to WrongExpectedRevisionError with the actual revision as a number', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'launch-1', expected: 0n, current: 4n });

    const mapped = toStoreError(error, { doing: 'appending', server, append: { streamId: 'launch-1', expected: 0 } });

    expect(mapped).toBeInstanceOf(WrongExpectedRevisionError);
    expect(mapped).toMatchObject({ streamId: 'launch-1', expected: 0, actual: 4 });
  });

  it('maps a conflict on a missing stream to actual no_stream', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' });

    const mapped = toStoreError(error, { doing: 'appending', server, append: { streamId: 's', expected: 'stream_exists' } });

    expect(mapped).toMatchObject({ streamId: 's', expected: 'stream_exists', actual: 'no_stream' });
  });

  it('maps a refused connection on append to EventStoreUnavailableError naming the server and the cause', () => {
    const mapped = toStoreError(refusedAppend(), { doing: 'appending to stream launch-1', server });

    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as Error).message).toBe(
      `KurrentDB at ${server} is unavailable while appending to stream launch-1: 14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1.`,
    );
  });

  it('maps the bridge’s bare UnavailableError of a read to a readable reason', () => {
    const mapped = toStoreError(bridgeUnavailable(), { doing: 'reading stream launch-1', server });

    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as Error).message).toBe(`KurrentDB at ${server} is unavailable while reading stream launch-1: unavailable (no connection to the server)`);
  });

  it('maps a deadline exceeded to unavailable', () => {
    const mapped = toStoreError(new DeadlineExceededError(Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: 4 }) as never), {
      doing: 'pinging',
      server,
    });

    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as Error).message).toContain('DEADLINE_EXCEEDED');
  });

  it('maps access denied to unavailable, pointing at the credentials', () => {
    const mapped = toStoreError(new AccessDeniedError(Object.assign(new Error('Access denied'), { code: 7 }) as never), { doing: 'reading $all', server });

    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as Error).message).toMatch(/denied access while reading \$all: check the credentials in EVENT_STORE_URL/);
  });

  it('keeps the cause, and leaves errors that are neither conflicts nor unavailability as they are', () => {
    const cause = refusedAppend();
    expect((toStoreError(cause, { doing: 'x', server }) as Error).cause).toBe(cause);
    const bug = new TypeError('events[0].data must be an object');
    expect(toStoreError(bug, { doing: 'x', server })).toBe(bug);
  });

  it('recognises a read of a stream that does not exist', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'launch-404'))).toBe(true);
    expect(isStreamNotFound(bridgeUnavailable())).toBe(false);
    expect(isStreamNotFound(new Error('StreamNotFound'))).toBe(false);
  });
});
