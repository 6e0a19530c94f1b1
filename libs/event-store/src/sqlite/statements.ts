import type Database from 'better-sqlite3';
import { EVENT_COLUMNS, type EventRow } from './event-rows.js';

/** The statements the store reads with, prepared once per connection (writes: append-batch-writer.ts). */
export function prepareStatements(db: Database.Database) {
  return {
    /** stream, fromRevision, toRevision (inclusive), limit */
    readStreamPage: db
      .prepare<[string, number, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
        WHERE stream_id = ? AND revision >= ? AND revision <= ? ORDER BY revision LIMIT ?`,
      )
      .raw(true),
    /** after (exclusive), upTo (inclusive), limit */
    readAllPage: db
      .prepare<[number, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events
        WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      )
      .raw(true),
    headPosition: db.prepare<[], { head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    positionBefore: db.prepare<[number], { before: number }>('SELECT COALESCE(MAX(position), 0) AS before FROM events WHERE position < ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
