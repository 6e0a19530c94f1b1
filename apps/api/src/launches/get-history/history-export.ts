import { Readable } from 'node:stream';
import type { RecordedEvent } from '#event-store';
import { type HistoryEvent, presentEvent } from '#platform';

export type ExportFormat = 'ndjson' | 'csv';

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/**
 * The CSV columns. The actor's fields are spelt out for spreadsheets; `data` and `metadata` (less
 * the hashes) are JSON so that every event, whatever its type, round-trips exactly.
 */
export const CSV_COLUMNS = [
  'revision',
  'position',
  'eventId',
  'type',
  'occurredAt',
  'actorId',
  'actorName',
  'actorRole',
  'actorDepartment',
  'correlationId',
  'causationId',
  'data',
  'metadata',
  'hash',
  'prevHash',
] as const;

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * OWASP CSV injection: a spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, tab or CR as a
 * formula (`=HYPERLINK(…)` in a principal's name), so such a cell gets a leading `'`, shown as text.
 * `data` and `metadata` are JSON objects, starting with `{`, so they are never touched and round-trip.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export function csvRow(event: HistoryEvent): string {
  const actor = (event.metadata.actor ?? {}) as Record<string, unknown>;
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    revision: String(event.revision),
    position: String(event.position),
    eventId: event.eventId,
    type: event.type,
    occurredAt: text(event.metadata.occurredAt),
    actorId: text(actor.id),
    actorName: text(actor.name),
    actorRole: text(actor.role),
    actorDepartment: text(actor.department),
    correlationId: text(event.metadata.correlationId),
    causationId: text(event.metadata.causationId),
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    hash: event.hash,
    prevHash: event.prevHash,
  };
  return `${CSV_COLUMNS.map((column) => csvField(spreadsheetSafe(cells[column]))).join(',')}\r\n`;
}

export const ndjsonLine = (event: HistoryEvent): string => `${JSON.stringify(event)}\n`;

/** Lines are gathered into chunks of about this many characters before they are handed on. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The export as text chunks, pulled from the store's events one by one: nothing is read ahead of
 * what the consumer asks for, so memory stays constant whatever the length of the history.
 */
export async function* exportChunks(events: AsyncIterable<RecordedEvent>, format: ExportFormat): AsyncGenerator<string> {
  let chunk = format === 'csv' ? `${CSV_COLUMNS.join(',')}\r\n` : '';
  for await (const recorded of events) {
    const event = presentEvent(recorded);
    chunk += format === 'csv' ? csvRow(event) : ndjsonLine(event);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** A readable byte stream of the export; it pulls the next chunk only when the socket drains (backpressure). */
export function exportStream(events: AsyncIterable<RecordedEvent>, format: ExportFormat): Readable {
  return Readable.from(exportChunks(events, format), { objectMode: false, highWaterMark: CHUNK_CHARS });
}
