import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type EventStore, type EventToAppend, type RecordedEvent } from '#event-store';
import { launchStreamId } from '#launch';
import type { Projection, ViewUnitOfWork } from '../projection.js';
import { DEPARTMENT_TASKS, LAUNCHES, launchViewsProjection } from '../projections/launch-views.projection.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { buildGeneration } from './build-generation.js';
import { GenerationalProjector } from './generational-projector.js';
import { GenerationalReadModelStore } from './generational-read-model-store.js';

const quiet = { log: () => undefined, error: () => undefined };
const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
let n = 0;
const event = (type: string, data: Record<string, unknown>): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
  metadata: { actor, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: 'c' },
});

const created = (launchId: string, name: string) =>
  event('LaunchCreated', {
    launchId,
    name,
    product: name,
    tier: 3,
    targetDate: '2030-01-10',
    templateVersion: 'v1',
    tasks: [
      { taskId: `${name}-t1`, key: 'messaging', title: 'Messaging', department: 'product-marketing', kind: 'messaging', required: true, dueDate: '2030-01-01' },
      { taskId: `${name}-t2`, key: 'release', title: 'Release', department: 'engineering', kind: 'release', required: true, dueDate: '2030-01-05' },
    ],
  });

/** The fields of each declared index (view-columns.ts' `cx_<collection>:<fields>`) on a collection's table. */
function indexedFieldSets(file: string, collection: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name LIKE 'cx_%'")
      .pluck()
      .all(`view_${collection}`) as string[];
    return names.map((name) => name.slice(name.indexOf(':') + 1)).sort();
  } finally {
    db.close();
  }
}

/** The launch views, with a gate every event waits at while it is closed (to hold a rebuild half-way). */
function gatedViews() {
  let open: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const projection: Projection = {
    ...launchViewsProjection,
    async apply(e: RecordedEvent, views: ViewUnitOfWork) {
      await gate;
      return launchViewsProjection.apply(e, views);
    },
  };
  return {
    projection,
    close: () => {
      gate = new Promise((resolve) => (open = resolve));
    },
    open: () => open(),
  };
}

describe('read-model generations: rebuild beside the live views, then switch', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(projection: Projection = launchViewsProjection) {
    const dir = mkdtempSync(join(tmpdir(), 'generations-'));
    const events: EventStore = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const raw = new SqliteReadModelStore({ filename: join(dir, 'views.sqlite') });
    const views = new GenerationalReadModelStore(raw, [projection]);
    const projector = new GenerationalProjector({
      eventStore: events,
      store: raw,
      projections: [projection],
      generations: views.generations,
      logger: quiet,
      followIntervalMs: 20,
    });
    cleanups.push(async () => {
      await projector.stop();
      await events.close();
      await raw.close();
      rmSync(dir, { recursive: true, force: true });
    });
    let last = 0;
    const append = async (launch: string, e: EventToAppend, expected: number | 'no_stream') => {
      last = (await events.append(launchStreamId(launch), [e], expected)).position;
      return last;
    };
    const seed = async () => {
      await append('a', created('a', 'Aurora'), 'no_stream');
      await append('b', created('b', 'Borealis'), 'no_stream');
      await append('a', event('MessagingApproved', { taskId: 'Aurora-t1', details: { documentUrl: 'https://x.example.com', version: '1' } }), 0);
      await append('b', event('TaskBlocked', { taskId: 'Borealis-t2', reason: 'QA' }), 0);
      return last;
    };
    const snapshot = async (store: { find: SqliteReadModelStore['find'] }, suffix = '') => ({
      launches: await store.find(`${LAUNCHES}${suffix}`),
      tasks: await store.find(`${DEPARTMENT_TASKS}${suffix}`),
    });
    return { events, raw, views, projector, append, seed, snapshot, viewsFile: join(dir, 'views.sqlite') };
  }

  it('keeps answering from the current views during a rebuild and switches only once the new ones have caught up, equal to them', async () => {
    const gate = gatedViews();
    const { raw, views, projector, append, seed, snapshot, viewsFile } = await setup(gate.projection);
    await projector.start();
    const head = await seed();
    expect(await projector.waitForPosition(head, 2000)).toBe(true);
    const incremental = await snapshot(views);
    expect(incremental.launches).toHaveLength(2);

    gate.close();
    expect(projector.rebuild().state).toBe('rebuilding');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(projector.rebuildStatus()).toMatchObject({ state: 'rebuilding', generation: 0, rebuilding: { generation: 1, checkpoint: 0 } });
    expect(await snapshot(views)).toEqual(incremental); // the readers still see the complete current views
    expect(await views.checkpoint(launchViewsProjection.name)).toBe(head);
    // The new generation is filled unindexed, and indexed once it has caught up.
    const declared = launchViewsProjection.collections[LAUNCHES]!.map((set) => set.join(',')).sort();
    expect(indexedFieldSets(viewsFile, LAUNCHES)).toEqual(declared);
    expect(indexedFieldSets(viewsFile, `${LAUNCHES}__g1`)).toEqual([]);

    gate.open();
    await projector.rebuilt();
    expect(projector.rebuildStatus()).toMatchObject({ state: 'idle', generation: 1, lastRebuild: { generation: 1, position: head } });
    expect(await snapshot(raw, '__g1')).toEqual(incremental); // rebuilt from zero into fresh collections
    expect(await snapshot(views)).toEqual(incremental);
    for (const [collection, sets] of Object.entries(launchViewsProjection.collections))
      expect(indexedFieldSets(viewsFile, `${collection}__g1`)).toEqual(sets.map((set) => set.join(',')).sort());

    const next = await append('a', event('TaskBlocked', { taskId: 'Aurora-t2', reason: 'late' }), 1);
    expect(await projector.waitForPosition(next, 2000)).toBe(true);
    const aurora = await views.get<{ id: string; position: number; tasks: Array<{ status: string }> }>(LAUNCHES, 'a');
    expect(aurora?.tasks[1]?.status).toBe('blocked');
    expect(await views.checkpoint(launchViewsProjection.name)).toBe(next);
  });

  it('follows a rebuild made by another process (the CLI) and carries on projecting from the new generation', async () => {
    const { events, raw, views, projector, append, seed, snapshot } = await setup();
    await projector.start();
    const head = await seed();
    await projector.waitForPosition(head, 2000);
    const incremental = await snapshot(views);

    expect(await buildGeneration({ eventStore: events, store: raw, projections: [launchViewsProjection], logger: quiet })).toEqual({
      generation: 1,
      position: head,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(projector.status().generation).toBe(1);
    expect(await snapshot(views)).toEqual(incremental);

    const next = await append('b', event('TaskUnblocked', { taskId: 'Borealis-t2' }), 1);
    expect(await projector.waitForPosition(next, 2000)).toBe(true);
    expect((await snapshot(raw, '__g1')).launches).toEqual((await snapshot(views)).launches);
  });

  it('drops the retired generation at the next rebuild, never the current one', async () => {
    const { raw, views, projector, seed, snapshot } = await setup();
    await projector.start();
    await projector.waitForPosition(await seed(), 2000);
    const incremental = await snapshot(views);
    projector.rebuild();
    await projector.rebuilt();
    expect((await snapshot(raw)).launches).toHaveLength(2); // generation 0 is kept until the next rebuild
    projector.rebuild();
    await projector.rebuilt();
    expect(projector.status().generation).toBe(2);
    expect(await snapshot(raw)).toEqual({ launches: [], tasks: [] });
    expect(await snapshot(views)).toEqual(incremental);
  });

  it('a rebuild whose lease is lost before the switch (or cancelled) fails: readers stay on the current generation, which keeps projecting', async () => {
    const { views, projector, append, seed, snapshot } = await setup();
    await projector.start();
    await projector.waitForPosition(await seed(), 2000);
    const incremental = await snapshot(views);

    projector.rebuild({ beforeSwitch: async () => false });
    await projector.rebuilt();
    expect(projector.rebuildStatus()).toMatchObject({
      state: 'failed',
      generation: 0,
      lastError: { message: 'the rebuild lost its lease before it switched over' },
    });

    projector.rebuild();
    projector.cancelRebuild();
    await projector.rebuilt();
    expect(projector.rebuildStatus()).toMatchObject({
      state: 'failed',
      generation: 0,
      lastError: { message: expect.stringMatching(/^the rebuild was stopped before/) },
    });
    expect(projector.status()).toMatchObject({ generation: 0, running: true });
    expect(await snapshot(views)).toEqual(incremental);

    const next = await append('a', event('TaskBlocked', { taskId: 'Aurora-t2', reason: 'late' }), 1);
    expect(await projector.waitForPosition(next, 2000)).toBe(true);
    expect((await views.get<{ id: string; position: number; tasks: Array<{ status: string }> }>(LAUNCHES, 'a'))?.tasks[1]?.status).toBe('blocked');
  });
});
