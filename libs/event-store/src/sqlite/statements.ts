import type Database from 'better-sqlite3';
import { EVENT_COLUMNS, type EventRow } from './event-rows.js';

export interface StreamHead {
  revision: number;
  position: number;
}

export interface StoredEventId {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
}

/** Every statement the store runs, prepared once per connection. */
export function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT append_one'),
    release: db.prepare('RELEASE append_one'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO append_one'),

    streamHead: db.prepare<[string], StreamHead>(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    /** Which of these ids (a JSON array) are already stored. */
    storedEventIds: db.prepare<[string], StoredEventId>(
      `SELECT event_id AS eventId, stream_id AS streamId, revision, position
         FROM events WHERE event_id IN (SELECT value FROM json_each(?))`,
    ),
    insert: db.prepare<[string, number, string, string, string, string, string]>(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),

    /** stream, fromRevision, toRevision (inclusive), limit */
    readStreamPage: db.prepare<[string, number, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE stream_id = ? AND revision >= ? AND revision <= ? ORDER BY revision LIMIT ?`,
    ),
    /** after (exclusive), upTo (inclusive), limit */
    readAllPage: db.prepare<[number, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    ),
    headPosition: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    positionBefore: db.prepare<[number], { before: number }>('SELECT COALESCE(MAX(position), 0) AS before FROM events WHERE position < ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
