import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, GENESIS_HASH, KurrentDbEventStore, SqliteEventStore, type EventStore, type EventToAppend } from '#event-store';
import { departmentsReport, launchStreamId, type LaunchEvent } from '#launch';
import { MongoConnection } from '#mongo';
import { launchViewsProjection, MongoReadModelStore, Projector, SqliteReadModelStore, type ReadModelStore } from '#read-models';
import { redactUrl } from '#platform';
import { LaunchHistoryReader } from '../launches/shared/launch-history.reader.js';
import { ReportReader } from './report-reader.js';

interface Stores {
  events: EventStore;
  views: ReadModelStore;
  cleanup(): Promise<void>;
}

const actor = { id: 'p-lm', name: 'Lee Manager', role: 'launch-manager' };

/** A tier-3-like launch created on 2091-05-01 whose tasks are completed on the days given; launched on `launchedOn` unless null. */
function launchEvents(launchId: string, completions: Record<'m' | 'r', string>, launchedOn: string | null): Array<[string, LaunchEvent]> {
  const task = (taskId: string, department: 'product-marketing' | 'engineering', dueDate: string) => ({
    taskId,
    key: taskId,
    title: taskId,
    department,
    kind: 'generic' as const,
    required: true,
    dueDate,
  });
  const events: Array<[string, LaunchEvent]> = [
    [
      '2091-05-01T09:00:00.000Z',
      {
        type: 'LaunchCreated',
        data: {
          launchId,
          name: launchId,
          product: 'P',
          tier: 3,
          targetDate: '2091-05-20',
          templateVersion: 't',
          tasks: [task('m', 'product-marketing', '2091-05-10'), task('r', 'engineering', '2091-05-15')],
        },
      },
    ],
    [`${completions.m}T10:00:00.000Z`, { type: 'TaskCompleted', data: { taskId: 'm' } }],
    [`${completions.r}T10:00:00.000Z`, { type: 'TaskCompleted', data: { taskId: 'r' } }],
  ];
  if (launchedOn === null) return events;
  return [...events, [`${launchedOn}T08:00:00.000Z`, { type: 'GoDecided', data: {} }], [`${launchedOn}T09:00:00.000Z`, { type: 'LaunchCompleted', data: {} }]];
}

async function append(store: EventStore, launchId: string, events: Array<[string, LaunchEvent]>): Promise<void> {
  const streamId = launchStreamId(launchId);
  let prevHash = GENESIS_HASH;
  const stored: EventToAppend[] = events.map(([occurredAt, event], revision) => {
    const data = event.data as unknown as Record<string, unknown>;
    const metadata = chain({ streamId, revision, type: event.type, data, metadata: { actor, occurredAt, correlationId: 'c' } }, prevHash);
    prevHash = String(metadata.hash);
    return { eventId: randomUUID(), type: event.type, data, metadata };
  });
  await store.append(streamId, stored, 'no_stream');
}

/** The window report through the stores a deployment uses: candidates from the launch views, reports from the streams. */
function reportReaderSuite(label: string, open: () => Promise<Stores>) {
  describe(`ReportReader on ${label}`, () => {
    let stores: Stores;
    const ids = { onTime: randomUUID(), late: randomUUID(), outside: randomUUID(), planning: randomUUID() };

    beforeAll(async () => {
      stores = await open();
      await append(stores.events, ids.onTime, launchEvents(ids.onTime, { m: '2091-05-09', r: '2091-05-15' }, '2091-05-20'));
      await append(stores.events, ids.late, launchEvents(ids.late, { m: '2091-05-12', r: '2091-05-14' }, '2091-05-21'));
      await append(stores.events, ids.outside, launchEvents(ids.outside, { m: '2091-05-09', r: '2091-05-15' }, '2091-06-02'));
      await append(stores.events, ids.planning, launchEvents(ids.planning, { m: '2091-05-09', r: '2091-05-15' }, null));
      const projector = new Projector({
        projections: [launchViewsProjection],
        eventStore: stores.events,
        store: stores.views,
        logger: { log: () => {}, error: () => {} },
      });
      await projector.start();
      const head = await stores.events.headPosition();
      const deadline = Date.now() + 30_000;
      while ((await stores.views.checkpoint(launchViewsProjection.name)) < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await projector.stop();
    }, 60_000);
    afterAll(() => stores?.cleanup());

    it('reads the launched launches of the window from the views and folds their streams', async () => {
      const reader = new ReportReader(new LaunchHistoryReader(stores.events), stores.views);
      const window = { from: '2091-05-20', to: '2091-05-31' };
      const report = departmentsReport(window, await reader.launchedCandidates(window));
      // A shared server may hold other launches: only this suite's count.
      const ours = new Set<string>(Object.values(ids));
      expect(report.launches.filter((l) => ours.has(l.launchId)).map((l) => l.launchId)).toEqual([ids.onTime, ids.late]);
      expect(report.launches.every((l) => ours.has(l.launchId))).toBe(true);
      expect(report.departments).toEqual([
        expect.objectContaining({ department: 'product-marketing', launches: 2, completed: 2, onTime: 1, late: 1, daysLate: 2, onTimeRate: 0.5 }),
        expect.objectContaining({ department: 'engineering', launches: 2, completed: 2, onTime: 2, late: 0, onTimeRate: 1 }),
      ]);
      expect(await reader.launch(randomUUID())).toBeNull();
    });
  });
}

reportReaderSuite('the embedded stores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-reader-'));
  const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const views = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
  return {
    events,
    views,
    cleanup: async () => {
      await events.close();
      await views.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const eventStoreUrl = process.env.EVENT_STORE_URL;
const mongoUrl = process.env.MONGODB_URL;
if (!eventStoreUrl || !mongoUrl) {
  const reason = 'EVENT_STORE_URL and MONGODB_URL are not both set (no KurrentDB and MongoDB servers on this machine)';
  console.warn(`ReportReader on KurrentDB + MongoDB SKIPPED: ${reason}.`);
  describe.skip(`ReportReader on KurrentDB + MongoDB — skipped: ${reason}`, () => {
    it('reads the window from MongoDB views and KurrentDB streams', () => undefined);
  });
} else {
  reportReaderSuite(`KurrentDB (${redactUrl(eventStoreUrl)}) + MongoDB (${redactUrl(mongoUrl)})`, async () => {
    const databaseName = `lc_reports_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const connect = () => new MongoConnection({ url: mongoUrl, label: redactUrl(mongoUrl), databaseName, retry: { initialDelayMs: 100, maxDelayMs: 1000 } });
    const events = new KurrentDbEventStore({ connectionString: eventStoreUrl, server: redactUrl(eventStoreUrl) });
    const views = new MongoReadModelStore({ connection: connect() });
    return {
      events,
      views,
      cleanup: async () => {
        const connection = connect();
        try {
          await (await connection.db()).dropDatabase();
        } finally {
          await connection.close();
          await views.close();
          await events.close();
        }
      },
    };
  });
}
