import type { EventToAppend, ExpectedRevision } from '../event-store.port.js';
import type { SerializedEvent } from './append-batch-writer.js';

/**
 * The checks of SqliteEventStore's appends and expected revisions (a bad one throws before anything
 * is queued), and the serialization of their events when their group commit takes them.
 */

/** Checks an append's events (ids, types, data and metadata objects); throws at the first bad one. */
export function checkEvents(events: EventToAppend[]): EventToAppend[] {
  if (!Array.isArray(events) || events.length === 0) throw new RangeError('append needs at least one event');
  const ids = new Set<string>();
  events.forEach((event, i) => {
    if (typeof event?.eventId !== 'string' || event.eventId === '') throw new TypeError(`events[${i}].eventId must be a non-empty string`);
    if (ids.has(event.eventId)) throw new RangeError(`event id ${event.eventId} appears twice in one append`);
    ids.add(event.eventId);
    if (typeof event.type !== 'string' || event.type === '') throw new TypeError(`events[${i}].type must be a non-empty string`);
    checkObject(event.data, `events[${i}].data`);
    checkObject(event.metadata, `events[${i}].metadata`);
  });
  return events;
}

/** An event as the writer takes it: data and metadata as JSON text, the chain's links beside them. */
export function serializeEvent(event: EventToAppend): SerializedEvent {
  const { prevHash, hash } = event.metadata;
  return {
    eventId: event.eventId,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    ...(typeof prevHash === 'string' && { prevHash }),
    ...(typeof hash === 'string' && { hash }),
  };
}

function checkObject(value: unknown, name: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${name} must be an object`);
}

export function checkExpected(expected: ExpectedRevision): ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new TypeError(`invalid expected revision: ${String(expected)}`);
}
