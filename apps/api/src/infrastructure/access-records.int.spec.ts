import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoConnection } from '#mongo';
import { redactUrl } from '#platform';
import { MongoCalendarFeedStore, SqliteCalendarFeedStore, type CalendarFeedStore } from '../calendar/storage/calendar-feed-store.js';
import {
  MongoDepartmentSettingsStore,
  SqliteDepartmentSettingsStore,
  type DepartmentSettingsStore,
} from '../departments/settings/department-settings-store.js';
import { MongoDigestLog, SqliteDigestLog, type DigestLog } from '../digests/storage/digest-log.js';
import { openAccessDatabase } from './sqlite-access-store.js';

/** One deployment's stores as several processes see them: each `instance()` is another connection to the same place. */
interface Adapter {
  name: string;
  instance(): { feeds: CalendarFeedStore; settings: DepartmentSettingsStore; digests: DigestLog };
  close(): Promise<void>;
}

function sqlite(): Adapter {
  const dir = mkdtempSync(join(tmpdir(), 'access-records-'));
  const dbs: Array<ReturnType<typeof openAccessDatabase>> = [];
  return {
    name: 'SQLite (access.sqlite)',
    instance() {
      const db = openAccessDatabase(join(dir, 'access.sqlite'));
      dbs.push(db);
      return { feeds: new SqliteCalendarFeedStore(db), settings: new SqliteDepartmentSettingsStore(db), digests: new SqliteDigestLog(db) };
    },
    async close() {
      dbs.forEach((db) => db.close());
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mongo(url: string): Adapter {
  const databaseName = `lc_access_records_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const connections: MongoConnection[] = [];
  return {
    name: `MongoDB (${redactUrl(url)})`,
    instance() {
      const connection = new MongoConnection({ url, label: redactUrl(url), databaseName, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });
      connections.push(connection);
      return { feeds: new MongoCalendarFeedStore(connection), settings: new MongoDepartmentSettingsStore(connection), digests: new MongoDigestLog(connection) };
    },
    async close() {
      try {
        if (connections[0]) await (await connections[0].db()).dropDatabase();
      } finally {
        await Promise.all(connections.map((c) => c.close()));
      }
    },
  };
}

const adapters: Array<[string, () => Adapter]> = [['SQLite (access.sqlite)', sqlite]];
if (process.env.MONGODB_URL) adapters.push(['MongoDB', () => mongo(process.env.MONGODB_URL!)]);
else console.warn('access records on MongoDB SKIPPED: MONGODB_URL is not set (no MongoDB server on this machine). Set MONGODB_URL=mongodb://… to run them.');

describe.each(adapters)('calendar feeds, department settings and the digest log on %s', (_name, make) => {
  const adapter = (make as () => Adapter)();
  afterAll(() => adapter.close());

  it('keeps a feed with its hash only; another instance sees it, and its deletion, at once', async () => {
    const [a, b] = [adapter.instance(), adapter.instance()];
    const feed = { id: 'f1', principalId: 'p1', department: 'legal', secretHash: 'ab'.repeat(32), createdAt: '2027-01-01T00:00:00.000Z' };
    await a.feeds.add(feed);
    await a.feeds.add({ id: 'f2', principalId: 'p2', launchId: 'l1', secretHash: 'cd'.repeat(32), createdAt: '2027-01-02T00:00:00.000Z' });
    expect(await b.feeds.get('f1')).toEqual(feed);
    expect((await b.feeds.list('p1')).map((f) => f.id)).toEqual(['f1']);
    expect((await b.feeds.list()).map((f) => f.id)).toEqual(['f1', 'f2']);
    expect(await b.feeds.remove('f1')).toBe(true);
    expect(await a.feeds.get('f1')).toBeNull();
    expect(await a.feeds.remove('f1')).toBe(false);
    // A secret hash is unique: the add is refused and stores nothing. (Judged by the outcome, not with
    // `rejects.toThrow()`: under jest's VM modules a native addon's error class can come from another test file's realm.)
    const refused = await a.feeds.add({ ...feed, id: 'f3', secretHash: 'cd'.repeat(32) }).then(
      () => 'stored',
      (error: unknown) => String((error as { message?: unknown })?.message ?? error),
    );
    expect(refused).toMatch(/unique|duplicate/i);
    expect(await b.feeds.get('f3')).toBeNull();
  });

  it('keeps the last settings written by any instance, and null for a department never set', async () => {
    const [a, b] = [adapter.instance(), adapter.instance()];
    expect(await a.settings.get('sales')).toEqual({ department: 'sales', email: null, updatedAt: null });
    await Promise.all([
      a.settings.put({ department: 'sales', email: 'x@example.com', updatedAt: '2027-01-01T00:00:00.000Z' }),
      b.settings.put({ department: 'legal', email: null, updatedAt: '2027-01-01T00:00:00.000Z' }),
    ]);
    await b.settings.put({ department: 'sales', email: 'y@example.com', updatedAt: '2027-01-02T00:00:00.000Z' });
    expect(await a.settings.get('sales')).toEqual({ department: 'sales', email: 'y@example.com', updatedAt: '2027-01-02T00:00:00.000Z' });
    expect((await a.settings.list()).map((s) => [s.department, s.email])).toEqual([
      ['legal', null],
      ['sales', 'y@example.com'],
    ]);
  });

  it('lets exactly one of many racing instances claim a digest, per day and recipient', async () => {
    const instances = Array.from({ length: 6 }, () => adapter.instance());
    const claims = await Promise.all(instances.map((i) => i.digests.claim('2027-01-05', 'department:legal', '2027-01-05T07:00:00.000Z')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await instances[0].digests.get('2027-01-05', 'department:legal')).toMatchObject({ state: 'sending' });
    await instances[claims.indexOf(true)].digests.finish('2027-01-05', 'department:legal', '2027-01-05T07:00:01.000Z', { email: 'sent' });
    expect(await instances[1].digests.get('2027-01-05', 'department:legal')).toEqual({
      date: '2027-01-05',
      recipient: 'department:legal',
      state: 'sent',
      startedAt: '2027-01-05T07:00:00.000Z',
      finishedAt: '2027-01-05T07:00:01.000Z',
      outcome: { email: 'sent' },
    });
    expect(await instances[2].digests.claim('2027-01-05', 'department:legal', '2027-01-05T09:00:00.000Z')).toBe(false);
    expect(await instances[2].digests.claim('2027-01-06', 'department:legal', '2027-01-06T07:00:00.000Z')).toBe(true);
    expect(await instances[2].digests.claim('2027-01-05', 'department:sales', '2027-01-05T07:00:00.000Z')).toBe(true);
  });
});
