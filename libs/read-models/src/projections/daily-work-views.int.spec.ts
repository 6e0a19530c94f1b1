import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { launchStreamId } from '#launch';
import { Projector } from '../projector/projector.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { DEPARTMENT_TASKS, launchViewsProjection, TASK_COMMENTS, type DepartmentTaskView, type TaskCommentView } from './launch-views.projection.js';

const quiet = { log: () => undefined, error: () => undefined };
const manager = { id: 'p1', name: 'Lee', role: 'launch-manager' };
const sales = { id: 'p2', name: 'Sam', role: 'department', department: 'sales' };
let n = 0;
const event = (type: string, data: Record<string, unknown>, actor: Record<string, unknown> = manager): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
  metadata: { actor, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: 'c' },
});

const launchId = '22222222-2222-4222-8222-222222222222';
const ada = { name: 'Ada', email: 'Ada@Example.com' };

describe('daily-work views: owners in the department task views, comments in their own view', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('projects owners (address indexed in lower case) and comments oldest first, and a rebuild from zero equals them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daily-work-views-'));
    dirs.push(dir);
    const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const views = new SqliteReadModelStore({ filename: join(dir, 'views.sqlite') });
    const projector = new Projector({ eventStore: events, store: views, projections: [launchViewsProjection], logger: quiet, maxBatchSize: 2 });
    await projector.start();
    const stream = launchStreamId(launchId);
    const tasks = [
      { taskId: 't1', key: 'a', title: 'A', department: 'sales', kind: 'generic', required: true, dueDate: '2030-01-01' },
      { taskId: 't2', key: 'b', title: 'B', department: 'legal', kind: 'generic', required: true, dueDate: '2030-01-02' },
    ];
    await events.append(
      stream,
      [event('LaunchCreated', { launchId, name: 'Aurora', product: 'Aurora', tier: 3, targetDate: '2030-01-10', templateVersion: 'v1', tasks })],
      'no_stream',
    );
    await events.append(
      stream,
      [
        event('TaskAssigned', { taskId: 't1', owner: ada, previousOwner: null }),
        event('TaskCommented', { taskId: 't2', commentId: 'c1', text: 'first', at: '2026-11-21T10:00:00.000Z' }, sales),
        event('TaskCommented', { taskId: 't2', commentId: 'c2', text: 'second', at: '2026-11-21T10:00:00.000Z' }),
        event('LaunchDetailsEdited', { changes: { name: { from: 'Aurora', to: 'Aurora 2' } } }),
      ],
      0,
    );
    const head = await events.headPosition();
    expect(await projector.waitForPosition(head, 5000)).toBe(true);

    const snapshot = async (store: SqliteReadModelStore) => ({
      owned: await store.find<DepartmentTaskView>(DEPARTMENT_TASKS, { where: { ownerEmail: 'ada@example.com' } }),
      comments: await store.find<TaskCommentView>(TASK_COMMENTS, { where: { launchId, taskId: 't2' }, orderBy: [{ field: 'revision' }] }),
      tasks: await store.find<DepartmentTaskView>(DEPARTMENT_TASKS, { orderBy: [{ field: 'id' }] }),
    });
    const live = await snapshot(views);
    expect(live.owned.map((t) => [t.taskId, t.owner, t.launchName])).toEqual([['t1', ada, 'Aurora 2']]);
    expect(live.tasks.map((t) => [t.taskId, t.owner, t.launchName])).toEqual([
      ['t1', ada, 'Aurora 2'],
      ['t2', null, 'Aurora 2'],
    ]);
    expect(live.comments.map((c) => [c.commentId, c.text, c.author, c.revision])).toEqual([
      ['c1', 'first', { id: 'p2', name: 'Sam', role: 'department' }, 2],
      ['c2', 'second', { id: 'p1', name: 'Lee', role: 'launch-manager' }, 3],
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
});
