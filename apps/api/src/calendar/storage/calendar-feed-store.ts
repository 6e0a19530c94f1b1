import type Database from 'better-sqlite3';
import { isDuplicateKey } from '#mongo';
import { AccessCollection } from '../../infrastructure/mongo-access-stores.js';
import type { AccessRecords } from '../../infrastructure/access-records.module.js';

/** A calendar feed as stored: only the hash of its secret, never the secret. */
export interface CalendarFeed {
  id: string;
  /** Who created it (sees and revokes it; an admin sees and revokes every feed). */
  principalId: string;
  department?: string;
  launchId?: string;
  secretHash: string;
  createdAt: string;
}

export const CALENDAR_FEED_STORE = Symbol('CALENDAR_FEED_STORE');

export interface CalendarFeedStore {
  add(feed: CalendarFeed): Promise<void>;
  get(id: string): Promise<CalendarFeed | null>;
  /** Oldest first; one principal's, or every feed without `principalId`. */
  list(principalId?: string): Promise<CalendarFeed[]>;
  /** Deletes the feed (its URL answers 404 from then on, on every process); false when there was none. */
  remove(id: string): Promise<boolean>;
}

export function createCalendarFeedStore(records: AccessRecords): CalendarFeedStore {
  return records.mongo ? new MongoCalendarFeedStore(records.mongo) : new SqliteCalendarFeedStore(records.sqlite!);
}

interface FeedRow {
  id: string;
  principal_id: string;
  department: string | null;
  launch_id: string | null;
  secret_hash: string;
  created_at: string;
}

const fromRow = (row: FeedRow): CalendarFeed => ({
  id: row.id,
  principalId: row.principal_id,
  ...(row.department !== null && { department: row.department }),
  ...(row.launch_id !== null && { launchId: row.launch_id }),
  secretHash: row.secret_hash,
  createdAt: row.created_at,
});

export class SqliteCalendarFeedStore implements CalendarFeedStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS calendar_feeds (
      id TEXT PRIMARY KEY, principal_id TEXT NOT NULL, department TEXT, launch_id TEXT,
      secret_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS calendar_feeds_by_principal ON calendar_feeds (principal_id, created_at);`);
  }

  async add(feed: CalendarFeed): Promise<void> {
    this.db
      .prepare('INSERT INTO calendar_feeds (id, principal_id, department, launch_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(feed.id, feed.principalId, feed.department ?? null, feed.launchId ?? null, feed.secretHash, feed.createdAt);
  }

  async get(id: string): Promise<CalendarFeed | null> {
    const row = this.db.prepare('SELECT * FROM calendar_feeds WHERE id = ?').get(id) as FeedRow | undefined;
    return row ? fromRow(row) : null;
  }

  async list(principalId?: string): Promise<CalendarFeed[]> {
    const rows =
      principalId === undefined
        ? this.db.prepare('SELECT * FROM calendar_feeds ORDER BY created_at, id').all()
        : this.db.prepare('SELECT * FROM calendar_feeds WHERE principal_id = ? ORDER BY created_at, id').all(principalId);
    return (rows as FeedRow[]).map(fromRow);
  }

  async remove(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM calendar_feeds WHERE id = ?').run(id).changes === 1;
  }
}

/** `{ _id: id, principalId, department?, launchId?, secretHash, createdAt }` in `calendar_feeds`. */
interface FeedDocument {
  _id: string;
  principalId: string;
  department?: string;
  launchId?: string;
  secretHash: string;
  createdAt: string;
}

export class MongoCalendarFeedStore implements CalendarFeedStore {
  private readonly feeds: AccessCollection<FeedDocument>;

  constructor(connection: NonNullable<AccessRecords['mongo']>) {
    this.feeds = new AccessCollection<FeedDocument>(connection, 'calendar_feeds', (c) =>
      c.createIndexes([{ key: { secretHash: 1 }, unique: true }, { key: { principalId: 1, createdAt: 1 } }]),
    );
  }

  async add({ id, ...feed }: CalendarFeed): Promise<void> {
    await this.feeds.run('adding a calendar feed', async (c) => {
      try {
        await c.insertOne({ _id: id, ...feed });
      } catch (err) {
        if (isDuplicateKey(err)) throw new Error('a calendar feed with this id or secret exists already', { cause: err });
        throw err;
      }
    });
  }

  async get(id: string): Promise<CalendarFeed | null> {
    const doc = await this.feeds.run('reading a calendar feed', (c) => c.findOne({ _id: id }));
    return doc ? fromDocument(doc) : null;
  }

  async list(principalId?: string): Promise<CalendarFeed[]> {
    const filter = principalId === undefined ? {} : { principalId };
    const docs = await this.feeds.run('listing calendar feeds', (c) =>
      c
        .find(filter, {
          sort: [
            ['createdAt', 1],
            ['_id', 1],
          ],
        })
        .toArray(),
    );
    return docs.map(fromDocument);
  }

  async remove(id: string): Promise<boolean> {
    return (await this.feeds.run('deleting a calendar feed', (c) => c.deleteOne({ _id: id }))).deletedCount === 1;
  }
}

const fromDocument = ({ _id, principalId, department, launchId, secretHash, createdAt }: FeedDocument): CalendarFeed => ({
  id: _id,
  principalId,
  ...(department !== undefined && { department }),
  ...(launchId !== undefined && { launchId }),
  secretHash,
  createdAt,
});
