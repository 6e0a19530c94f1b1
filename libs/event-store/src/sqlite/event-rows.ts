import type { RecordedEvent } from '../event-store.port.js';

/** Columns selected by every read, aliased to RecordedEvent field names. */
export const EVENT_COLUMNS =
  'position, stream_id AS streamId, revision, event_id AS eventId, type, data, metadata, recorded_at AS recordedAt';

export interface EventRow {
  position: number;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  recordedAt: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    streamId: row.streamId,
    revision: row.revision,
    position: row.position,
    eventId: row.eventId,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    recordedAt: row.recordedAt,
  };
}
