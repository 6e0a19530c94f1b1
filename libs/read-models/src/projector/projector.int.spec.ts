import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteEventStore, type RecordedEvent } from '#event-store';
import type { Projection, ViewUnitOfWork } from '../projection.js';
import type { ProjectionBatch, ReadModelStore, ViewDocument } from '../read-model-store.port.js';
import { SqliteReadModelStore } from '../sqlite/sqlite-read-model-store.js';
import { CheckpointWatcher } from './checkpoint-watcher.js';
import { Projector, type ProjectorLogger } from './projector.js';

type StreamCount = ViewDocument & { count: number; types: string[]; revisions: number[] };
type Totals = ViewDocument & { events: number; streams: number; positions: number };

const STREAMS = 'stream_counts';

/** Counts events per stream; a `Reset` event deletes the stream's document. */
function streamCounter(name = 'stream-counter', hooks: { before?: (event: RecordedEvent) => void | Promise<void> } = {}): Projection {
  return {
    name,
    collections: { [STREAMS]: [['count'], ['count', 'id']] },
    async apply(event: RecordedEvent, views: ViewUnitOfWork) {
      await hooks.before?.(event);
      const doc = await views.get<StreamCount>(STREAMS, event.streamId);
      if (doc && doc.position >= event.position) return;
      if (event.type === 'Reset') {
        views.delete(STREAMS, event.streamId);
        return;
      }
      views.put(STREAMS, {
        id: event.streamId,
        position: event.position,
        count: (doc?.count ?? 0) + 1,
        types: [...(doc?.types ?? []), event.type],
        revisions: [...(doc?.revisions ?? []), event.revision],
      });
    },
  };
}

/** One document over the whole log. */
const totals: Projection = {
  name: 'totals',
  collections: { totals: [] },
  async apply(event, views) {
    const doc = await views.get<Totals>('totals', 'all');
    if (doc && doc.position >= event.position) return;
    views.put('totals', {
      id: 'all',
      position: event.position,
      events: (doc?.events ?? 0) + 1,
      streams: (doc?.streams ?? 0) + (event.revision === 0 ? 1 : 0),
      positions: (doc?.positions ?? 0) + event.position,
    });
  },
};

function recordingLogger() {
  const errors: string[] = [];
  const lines: string[] = [];
  const logger: ProjectorLogger = {
    log: (message) => lines.push(message),
    error: (message) => errors.push(message),
  };
  return { logger, errors, lines };
}

/** A store whose commit fails while `failing` says so. */
function flakyStore(inner: ReadModelStore, failing: (batch: ProjectionBatch) => boolean): ReadModelStore & { commits: number } {
  const wrapper = Object.create(inner) as ReadModelStore & { commits: number };
  wrapper.commits = 0;
  wrapper.get = inner.get.bind(inner);
  wrapper.find = inner.find.bind(inner);
  wrapper.checkpoint = inner.checkpoint.bind(inner);
  wrapper.ensureIndexes = inner.ensureIndexes.bind(inner);
  wrapper.commit = async (batch) => {
    if (failing(batch)) throw new Error('disk hiccup');
    wrapper.commits += 1;
    return inner.commit(batch);
  };
  return wrapper;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Projector over the SQLite event store', () => {
  let dir: string;
  let events: SqliteEventStore;
  const toClose: Array<{ close(): Promise<void> | void }> = [];
  const projectors: Projector[] = [];

  const viewStore = (name = 'views.sqlite'): SqliteReadModelStore => {
    const store = new SqliteReadModelStore({ filename: join(dir, name) });
    toClose.push(store);
    return store;
  };
  const projector = (options: Omit<ConstructorParameters<typeof Projector>[0], 'eventStore'> & { eventStore?: SqliteEventStore }) => {
    const p = new Projector({
      eventStore: events,
      logger: recordingLogger().logger,
      retry: { initialDelayMs: 5, maxDelayMs: 40 },
      ...options,
    });
    projectors.push(p);
    return p;
  };

  let appended = 0;
  /** Appends `count` events round-robin over `streams` streams; returns the last position. */
  const append = async (count: number, streams = 3, type = 'Happened'): Promise<number> => {
    let last = 0;
    for (let i = 0; i < count; i++) {
      const n = appended++;
      const result = await events.append(`s-${n % streams}`, [{ eventId: randomUUID(), type, data: { n }, metadata: { n } }], 'any');
      last = result.position;
    }
    return last;
  };

  const dump = async (store: ReadModelStore) => ({
    streams: await store.find(STREAMS),
    totals: await store.find('totals'),
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'projector-'));
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    appended = 0;
  });

  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    for (const c of toClose.splice(0)) await c.close();
    await events.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('catches up in batches, then follows new events live', async () => {
    const head = await append(25);
    const base = viewStore();
    const store = flakyStore(base, () => false);
    const p = projector({ store, projections: [streamCounter(), totals], maxBatchSize: 4 });
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(await p.checkpoint()).toBe(head);
    const counts = await base.find<StreamCount>(STREAMS, { orderBy: [{ field: 'id' }] });
    expect(counts.map((d) => [d.id, d.count])).toEqual([
      ['s-0', 9],
      ['s-1', 8],
      ['s-2', 8],
    ]);
    expect(counts[1]!.revisions).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await base.get<Totals>('totals', 'all'))?.events).toBe(25);
    // Batched: one commit per delivered batch (at most 4 events), per projection, never per event.
    expect(store.commits).toBeLessThanOrEqual(2 * Math.ceil(25 / 4) + 2);
    expect(store.commits).toBeGreaterThanOrEqual(2 * Math.ceil(25 / 4));

    const live = await append(5);
    expect(await p.waitForPosition(live, 5000)).toBe(true);
    expect((await base.get<StreamCount>(STREAMS, 's-0'))?.count).toBe(10);
    expect((await base.get<StreamCount>(STREAMS, 's-1'))?.count).toBe(10);
    expect((await base.get<Totals>('totals', 'all'))?.events).toBe(30);
    expect(await base.checkpoint('stream-counter')).toBe(live);
    expect(await base.checkpoint('totals')).toBe(live);

    const status = p.status();
    expect(status.running).toBe(true);
    expect(status.projections).toEqual([
      { name: 'stream-counter', checkpoint: live, state: 'running', failures: 0 },
      { name: 'totals', checkpoint: live, state: 'running', failures: 0 },
    ]);
  });

  it('reads each document from the store once, then from what its own batches committed', async () => {
    const head = await append(30, 3);
    const run = async (viewCacheSize: number | undefined, file: string) => {
      const base = viewStore(file);
      const counted = flakyStore(base, () => false) as ReadModelStore & { commits: number; gets?: number };
      counted.gets = 0;
      counted.get = async (collection, id) => {
        counted.gets! += 1;
        return base.get(collection, id);
      };
      const p = projector({ store: counted, projections: [streamCounter(), totals], maxBatchSize: 2, ...(viewCacheSize !== undefined && { viewCacheSize }) });
      await p.start();
      expect(await p.waitForPosition(head, 5000)).toBe(true);
      await p.stop();
      return { gets: counted.gets!, views: await dump(base) };
    };
    const cached = await run(undefined, 'cached.sqlite');
    const uncached = await run(0, 'uncached.sqlite');
    expect(cached.views).toEqual(uncached.views);
    expect(cached.gets).toBe(4); // three stream documents and the totals, once each
    expect(uncached.gets).toBeGreaterThanOrEqual(30); // every batch reads what it touches
  });

  it('applies deletes, and later reads in the same batch see them', async () => {
    await append(6, 2);
    await events.append('s-0', [{ eventId: randomUUID(), type: 'Reset', data: {}, metadata: {} }], 'any');
    const head = await append(2, 2); // s-0 starts again at count 1
    const store = viewStore();
    const p = projector({ store, projections: [streamCounter()], maxBatchSize: 100 });
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect((await store.get<StreamCount>(STREAMS, 's-0'))?.count).toBe(1);
    expect((await store.get<StreamCount>(STREAMS, 's-1'))?.count).toBe(4);
  });

  it('restarts from its checkpoint and ends in the same views as one uninterrupted run', async () => {
    await append(40, 5);
    const interrupted = viewStore('interrupted.sqlite');
    // Several runs, each stopped after some progress, with appends in between.
    for (let run = 0; run < 4; run++) {
      const p = projector({ store: interrupted, projections: [streamCounter(), totals], maxBatchSize: 3 });
      await p.start();
      await p.waitForPosition(await events.headPosition(), 50); // may or may not get there
      await p.stop();
      await append(7, 5);
    }
    const head = await events.headPosition();
    // One more run with a fresh connection to the same file.
    const reopened = viewStore('interrupted.sqlite');
    const last = projector({ store: reopened, projections: [streamCounter(), totals], maxBatchSize: 3 });
    await last.start();
    expect(await last.waitForPosition(head, 5000)).toBe(true);

    const single = viewStore('single.sqlite');
    const once = projector({ store: single, projections: [streamCounter(), totals], maxBatchSize: 1000 });
    await once.start();
    expect(await once.waitForPosition(head, 5000)).toBe(true);

    expect(await dump(reopened)).toEqual(await dump(single));
    expect((await single.get<Totals>('totals', 'all'))?.events).toBe(68);
    expect(await reopened.checkpoint('stream-counter')).toBe(head);
  });

  it('stop() waits for the batch in flight to commit, and nothing is applied after it', async () => {
    await append(10);
    const store = viewStore();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const slow = streamCounter('slow', {
      before: async () => {
        started();
        await sleep(15);
      },
    });
    const p = projector({ store, projections: [slow], maxBatchSize: 10 });
    await p.start();
    await inFlight;
    await p.stop();
    // The whole batch (all 10 events, ~150 ms of work) was committed before stop() resolved.
    expect(await store.checkpoint('slow')).toBe(10);
    expect(p.status().running).toBe(false);
    expect(p.status().projections[0]!.state).toBe('stopped');
    await append(3);
    await sleep(100);
    expect(await store.checkpoint('slow')).toBe(10);
  });

  it('retries a projection that throws once, from its checkpoint, without skipping an event', async () => {
    const head = await append(20);
    const store = viewStore();
    let thrown = 0;
    const flaky = streamCounter('flaky', {
      before: (event) => {
        if (event.position === 13 && thrown === 0) {
          thrown += 1;
          throw new Error('transient trouble');
        }
      },
    });
    const { logger, errors } = recordingLogger();
    const p = projector({ store, projections: [flaky], maxBatchSize: 4, logger });
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(thrown).toBe(1);
    const counts = await store.find<StreamCount>(STREAMS);
    expect(counts.map((d) => d.count)).toEqual([7, 7, 6]);
    expect(counts.flatMap((d) => d.revisions).sort((a, b) => a - b)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/flaky.*position 13.*transient trouble/);
    const status = p.status().projections[0]!;
    expect(status.state).toBe('running');
    expect(status.failures).toBe(0);
    expect(status.lastError?.message).toMatch(/position 13 \(Happened, s-0@4\): transient trouble/);
  });

  it('retries when the store fails a commit, and ends in the same views', async () => {
    const head = await append(20);
    const base = viewStore();
    let failed = 0;
    const store = flakyStore(base, (batch) => batch.position >= 9 && failed < 3 && ++failed > 0);
    const p = projector({ store, projections: [streamCounter()], maxBatchSize: 4 });
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(failed).toBe(3);
    expect(await base.checkpoint('stream-counter')).toBe(head);
    const counts = await base.find<StreamCount>(STREAMS);
    expect(counts.map((d) => d.count)).toEqual([7, 7, 6]);
    expect(p.status().projections[0]!.lastError?.message).toBe('disk hiccup');
  });

  it('keeps retrying a poison event with backoff, never skipping past it, and still stops', async () => {
    await append(10);
    const store = viewStore();
    let attempts = 0;
    const poisoned = streamCounter('poisoned', {
      before: (event) => {
        if (event.position === 6) {
          attempts += 1;
          throw new Error('cannot handle this');
        }
      },
    });
    const p = projector({ store, projections: [poisoned, totals], maxBatchSize: 1 });
    await p.start();
    expect(await p.waitForPosition(10, 300)).toBe(false);
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThan(30); // backoff, not a hot loop (5, 10, 20, 40, 40, ... ms)
    expect(await store.checkpoint('poisoned')).toBe(5);
    expect(await store.checkpoint('totals')).toBe(10); // the other projection is not held back
    expect(await p.checkpoint()).toBe(5);
    expect((await store.find<StreamCount>(STREAMS)).reduce((sum, d) => sum + d.count, 0)).toBe(5);
    const status = p.status();
    expect(status.projections[0]).toMatchObject({ name: 'poisoned', checkpoint: 5, state: 'retrying' });
    expect(status.projections[0]!.failures).toBeGreaterThanOrEqual(3);
    expect(status.projections[0]!.lastError?.message).toMatch(/position 6.*cannot handle this/);
    const stopping = Date.now();
    await p.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(p.status().projections.map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });

  it('waitForPosition: false before the views get there, true as soon as they do', async () => {
    const head = await append(5);
    const store = viewStore();
    const p = projector({ store, projections: [streamCounter(), totals] });
    expect(await p.waitForPosition(head, 50)).toBe(false);
    await p.start();
    expect(await p.waitForPosition(head, 5000)).toBe(true);
    expect(await p.waitForPosition(head + 1, 100)).toBe(false);
    // A waiter set before the append is released by the commit that covers it.
    const waiting = p.waitForPosition(head + 2, 5000);
    const next = await append(2);
    expect(next).toBe(head + 2);
    const started = Date.now();
    expect(await waiting).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await store.checkpoint('stream-counter')).toBeGreaterThanOrEqual(head + 2);
  });

  it('a polling CheckpointWatcher sees the progress of a projector in another connection', async () => {
    const projectorStore = viewStore();
    const readerStore = viewStore(); // as an API process would open it
    const watcher = CheckpointWatcher.polling(readerStore, ['stream-counter', 'totals'], 20);
    toClose.push(watcher);
    const head = await append(8);
    expect(await watcher.waitForPosition(head, 60)).toBe(false);
    const p = projector({ store: projectorStore, projections: [streamCounter(), totals] });
    const waiting = watcher.waitForPosition(head, 5000);
    await p.start();
    expect(await waiting).toBe(true);
    expect(await watcher.checkpoint()).toBe(head);
    expect((await readerStore.get<Totals>('totals', 'all'))?.events).toBe(8);
  });

  it('recovers when the event store subscription fails (store closed and replaced)', async () => {
    await append(4);
    const store = viewStore();
    const { logger, errors } = recordingLogger();
    const p = projector({ store, projections: [streamCounter()], logger });
    await p.start();
    expect(await p.waitForPosition(4, 5000)).toBe(true);
    // Closing the event store ends the subscription: the runner must notice and retry, not stall.
    await events.close();
    await sleep(50);
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(p.status().projections[0]!.state).toBe('retrying');
    await p.stop();
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    const head = await append(3);
    const again = projector({ store, projections: [streamCounter()] });
    await again.start();
    expect(await again.waitForPosition(head, 5000)).toBe(true);
    expect((await store.find<StreamCount>(STREAMS)).reduce((sum, d) => sum + d.count, 0)).toBe(7);
  });

  it('rejects projections that share a name or a collection, or use unsafe names', () => {
    const store = {} as ReadModelStore;
    expect(() => new Projector({ eventStore: events, store, projections: [totals, totals] })).toThrow(/two projections/);
    expect(() => new Projector({ eventStore: events, store, projections: [streamCounter('a'), streamCounter('b')] })).toThrow(/both write stream_counts/);
    expect(() => new Projector({ eventStore: events, store, projections: [{ ...totals, collections: { 'x"; --': [] } }] })).toThrow(/invalid collection/);
    expect(() => new Projector({ eventStore: events, store, projections: [{ ...totals, collections: { ok: [["a') --"]] } }] })).toThrow(/invalid field/);
  });
});
