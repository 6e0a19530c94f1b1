import type { EventToAppend, ExpectedRevision } from '../event-store.port.js';
import type { SerializedEvent } from './append-batch-writer.js';

/** The checks of SqliteEventStore's appends and expected revisions: a bad one throws before anything is queued. */

export function serializeEvents(events: EventToAppend[]): SerializedEvent[] {
  if (!Array.isArray(events) || events.length === 0) throw new RangeError('append needs at least one event');
  const ids = new Set<string>();
  return events.map((event, i) => {
    if (typeof event?.eventId !== 'string' || event.eventId === '') throw new TypeError(`events[${i}].eventId must be a non-empty string`);
    if (ids.has(event.eventId)) throw new RangeError(`event id ${event.eventId} appears twice in one append`);
    ids.add(event.eventId);
    if (typeof event.type !== 'string' || event.type === '') throw new TypeError(`events[${i}].type must be a non-empty string`);
    const metadata = toJsonObject(event.metadata, `events[${i}].metadata`);
    const { prevHash, hash } = event.metadata;
    return {
      eventId: event.eventId,
      type: event.type,
      data: toJsonObject(event.data, `events[${i}].data`),
      metadata,
      ...(typeof prevHash === 'string' && { prevHash }),
      ...(typeof hash === 'string' && { hash }),
    };
  });
}

export function toJsonObject(value: unknown, name: string): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${name} must be an object`);
  return JSON.stringify(value);
}

export function checkExpected(expected: ExpectedRevision): ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (Number.isSafeInteger(expected) && expected >= 0) return expected;
  throw new TypeError(`invalid expected revision: ${String(expected)}`);
}
