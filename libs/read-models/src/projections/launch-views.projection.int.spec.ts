import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { launchStreamId } from '#launch';
import { Projector } from '../projector/projector.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { DEPARTMENT_TASKS, LAUNCHES, launchViewsProjection, type DepartmentTaskView, type LaunchView } from './launch-views.projection.js';

const quiet = { log: () => undefined, error: () => undefined };
const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
let n = 0;
const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
  metadata: { actor, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: 'c' },
});

const launchId = '11111111-1111-4111-8111-111111111111';
const created = event('LaunchCreated', {
  launchId,
  name: 'Aurora',
  product: 'Aurora',
  tier: 3,
  targetDate: '2030-01-10',
  templateVersion: 'v1',
  tasks: [
    { taskId: 't1', key: 'messaging', title: 'Messaging', department: 'product-marketing', kind: 'messaging', required: true, dueDate: '2030-01-01' },
    { taskId: 't2', key: 'release', title: 'Release', department: 'engineering', kind: 'release', required: true, dueDate: '2030-01-05' },
  ],
});

describe('launch views projection', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  async function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'launch-views-'));
    dirs.push(dir);
    const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const views = new SqliteReadModelStore({ filename: join(dir, 'views.sqlite') });
    const projector = new Projector({ eventStore: events, store: views, projections: [launchViewsProjection], logger: quiet, maxBatchSize: 2 });
    return { dir, events, views, projector };
  }

  async function snapshot(views: SqliteReadModelStore) {
    return {
      launches: await views.find<LaunchView>(LAUNCHES, { orderBy: [{ field: 'id' }] }),
      tasks: await views.find<DepartmentTaskView>(DEPARTMENT_TASKS, { orderBy: [{ field: 'id' }] }),
    };
  }

  it('builds the launch summary and the department inbox, and a rebuild from zero equals them', async () => {
    const { dir, events, views, projector } = await setup();
    await projector.start();
    const stream = launchStreamId(launchId);
    await events.append(stream, [created], 'no_stream');
    await events.append(stream, [event('MessagingApproved', { taskId: 't1', details: { documentUrl: 'https://x.example.com', version: '1' } })], 0);
    await events.append(
      stream,
      [
        event('TaskBlocked', { taskId: 't2', reason: 'ci' }),
        event('LaunchRescheduled', { targetDate: '2030-01-17', previousTargetDate: '2030-01-10', reason: 'x' }),
      ],
      1,
    );
    await events.append('something-else', [event('Unrelated', {})], 'no_stream');
    const head = await events.headPosition();
    expect(await projector.waitForPosition(head, 5000)).toBe(true);

    const live = await snapshot(views);
    expect(live.launches).toHaveLength(1);
    expect(live.launches[0]).toMatchObject({ id: launchId, name: 'Aurora', targetDate: '2030-01-17', revision: 3, status: 'planning' });
    expect(live.launches[0].tasks.map((t) => t.status)).toEqual(['completed', 'blocked']);
    expect(live.tasks.map((t) => [t.taskId, t.status, t.targetDate, t.dueDate])).toEqual([
      ['t1', 'completed', '2030-01-17', '2030-01-01'],
      ['t2', 'blocked', '2030-01-17', '2030-01-12'],
    ]);
    await projector.stop();

    const rebuilt = new SqliteReadModelStore({ filename: join(dir, 'rebuilt.sqlite') });
    const fresh = new Projector({ eventStore: events, store: rebuilt, projections: [launchViewsProjection], logger: quiet, maxBatchSize: 1000 });
    await fresh.start();
    expect(await fresh.waitForPosition(head, 5000)).toBe(true);
    expect(await snapshot(rebuilt)).toEqual(live);
    await fresh.stop();
    await Promise.all([events.close(), views.close(), rebuilt.close()]);
  });

  it('applies an event replayed at or below a document position only once', async () => {
    const { events, views } = await setup();
    const stream = launchStreamId(launchId);
    await events.append(stream, [created], 'no_stream');
    await events.append(
      stream,
      [event('TaskAdded', { taskId: 't3', key: 'x', title: 'X', department: 'legal', kind: 'generic', required: true, dueDate: '2030-01-09' })],
      0,
    );
    const recorded = [];
    for await (const e of events.readStream(stream)) recorded.push(e);
    const views1: Record<string, unknown> = {};
    const unit = {
      get: async (collection: string, id: string) => (views1[`${collection}/${id}`] ?? null) as never,
      put: (collection: string, doc: { id: string }) => void (views1[`${collection}/${doc.id}`] = doc),
      delete: () => undefined,
    };
    for (const e of [...recorded, ...recorded]) await launchViewsProjection.apply(e, unit);
    expect((views1[`${LAUNCHES}/${launchId}`] as LaunchView).tasks).toHaveLength(3);
    await Promise.all([events.close(), views.close()]);
  });
});
