/**
 * Events of the port ↔ KurrentDB client records. Pure: no connection, no I/O.
 */
import type { AppendStreamState, EventData, ResolvedEvent } from '@kurrent/kurrentdb-client';
import type { EventToAppend, ExpectedRevision, RecordedEvent } from '../event-store.port.js';
import { toGlobalPosition, toSafeNumber } from './positions.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The batch as KurrentDB JSON events. KurrentDB event ids are UUIDs (kept as given, in lowercase:
 * the server reads them back in lowercase); data and metadata are JSON objects.
 */
export function toEventData(events: readonly EventToAppend[]): EventData[] {
  if (!Array.isArray(events) || events.length === 0) throw new RangeError('append needs at least one event');
  const ids = new Set<string>();
  return events.map((event, i) => {
    if (typeof event?.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new TypeError(`events[${i}].eventId must be a UUID (KurrentDB event ids are UUIDs), got ${JSON.stringify(event?.eventId)}`);
    }
    const id = event.eventId.toLowerCase();
    if (ids.has(id)) throw new RangeError(`event id ${id} appears twice in one append`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type === '') throw new TypeError(`events[${i}].type must be a non-empty string`);
    return {
      id,
      contentType: 'application/json',
      type: event.type,
      data: jsonObject(event.data, `events[${i}].data`),
      metadata: jsonObject(event.metadata, `events[${i}].metadata`),
    } as EventData;
  });
}

/** The port's expected revision as the client's stream state (`no_stream`, `stream_exists`, `any`, or the revision). */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (Number.isSafeInteger(expected) && expected >= 0) return BigInt(expected);
  throw new TypeError(`invalid expected revision: ${String(expected)}`);
}

/** A read or delivered event as the port's RecordedEvent; throws on what the port cannot carry. */
export function toRecordedEvent(resolved: ResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('a read returned a link whose event is gone (links are not resolved by this store)');
  const where = `event ${event.id} (${event.streamId}@${String(event.revision)})`;
  if (!event.isJson || !isObject(event.data)) throw new TypeError(`${where}: data is not a JSON object`);
  const metadata = event.metadata === undefined ? {} : event.metadata;
  if (!isObject(metadata)) throw new TypeError(`${where}: metadata is not a JSON object`);
  return {
    streamId: event.streamId,
    revision: toSafeNumber(event.revision, `${where}: revision`),
    position: toGlobalPosition(event.position, where),
    eventId: event.id,
    type: event.type,
    data: event.data,
    metadata,
    recordedAt: recordedAt(event.created, where),
  };
}

function recordedAt(created: Date, where: string): string {
  const time = created instanceof Date ? created.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`${where}: no valid creation time`);
  return new Date(time).toISOString();
}

function jsonObject(value: unknown, name: string): Record<string, unknown> {
  if (!isObject(value)) throw new TypeError(`${name} must be an object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
