/**
 * The ReadModelStore contract: one suite, written against the port, run against every adapter
 * (read-model-store.<adapter>.int.spec.ts). Each test gets a fresh, empty store from `open`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  InvalidReadModelNameError,
  ReadModelStoreUnavailableError,
  type ProjectionBatch,
  type ReadModelStore,
  type ViewChange,
  type ViewDocument,
} from '#read-models';
import { findPagingContract } from './read-model-store.find-paging.contract.js';
import { launchEvents, launchViewsSnapshot, projectBatch } from './read-model-store.replay.js';

export interface OpenedReadModelStore {
  store: ReadModelStore;
  /** Closes nothing: opens the same data again (the suite closes `store` first). */
  reopen?: () => Promise<ReadModelStore>;
  cleanup: () => Promise<void>;
}

type Task = ViewDocument & {
  launchId: string;
  department: string;
  status: string;
  dueDate: string;
  priority: number;
  required: boolean;
  note: string | null;
};

const task = (id: string, fields: Partial<Task> = {}): Task => ({
  id,
  position: 1,
  launchId: 'L1',
  department: 'sales',
  status: 'open',
  dueDate: '2030-01-10',
  priority: 1,
  required: true,
  note: null,
  ...fields,
});

const put = (collection: string, doc: ViewDocument): ViewChange => ({ kind: 'put', collection, doc });
const del = (collection: string, id: string): ViewChange => ({ kind: 'delete', collection, id });

export function readModelStoreContract(adapterName: string, open: () => Promise<OpenedReadModelStore>): void {
  describe(`ReadModelStore contract: ${adapterName}`, () => {
    let opened: OpenedReadModelStore;
    let store: ReadModelStore;
    let position = 0;

    /** Commits the changes as the next batch of projection `p`. */
    const commit = (changes: ViewChange[], projection = 'p'): Promise<void> => store.commit({ projection, changes, position: ++position });

    const ids = (docs: ViewDocument[]): string[] => docs.map((d) => d.id);

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      position = 0;
    });

    afterEach(async () => {
      await store.close().catch(() => undefined);
      await opened.cleanup();
    });

    describe('documents', () => {
      it('reads nothing from an empty store', async () => {
        expect(await store.get('tasks', 'nope')).toBeNull();
        expect(await store.find('tasks')).toEqual([]);
        expect(await store.find('tasks', { where: { status: 'open' }, orderBy: [{ field: 'dueDate' }] })).toEqual([]);
      });

      it('gets a put document back whole, with its id and position', async () => {
        const doc = task('t1', {
          position: 7,
          nested: { list: [1, 'two', { three: 3 }], flag: false, none: null },
          float: 1.5,
          negative: -42,
          big: 2 ** 40,
        } as Partial<Task>);
        await store.commit({ projection: 'p', changes: [put('tasks', doc)], position: 7 });
        expect(await store.get('tasks', 't1')).toEqual(doc);
        expect(await store.get('tasks', 't2')).toBeNull();
        expect(await store.get('other', 't1')).toBeNull();
      });

      it('replaces a document on put (the whole document, not a merge)', async () => {
        await commit([put('tasks', task('t1', { note: 'first', extra: 1 } as Partial<Task>))]);
        await commit([put('tasks', task('t1', { position: 2, status: 'completed' }))]);
        expect(await store.get('tasks', 't1')).toEqual(task('t1', { position: 2, status: 'completed' }));
        expect(await store.find('tasks')).toHaveLength(1);
      });

      it('deletes a document, and deleting an absent one is harmless', async () => {
        await commit([put('tasks', task('t1')), put('tasks', task('t2'))]);
        await commit([del('tasks', 't1'), del('tasks', 'never-there'), del('empty', 'x')]);
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(ids(await store.find('tasks'))).toEqual(['t2']);
      });

      it('keeps collections apart', async () => {
        await commit([put('tasks', task('same', { status: 'a' })), put('launches', task('same', { status: 'b' }))]);
        expect((await store.get<Task>('tasks', 'same'))?.status).toBe('a');
        expect((await store.get<Task>('launches', 'same'))?.status).toBe('b');
        await commit([del('tasks', 'same')]);
        expect(await store.get('tasks', 'same')).toBeNull();
        expect(await store.get('launches', 'same')).not.toBeNull();
      });

      it('applies the changes of a batch in order: the last change to a document wins', async () => {
        await commit([
          put('tasks', task('a', { status: 'first' })),
          put('tasks', task('a', { status: 'second' })),
          put('tasks', task('b')),
          del('tasks', 'b'),
          del('tasks', 'c'),
          put('tasks', task('c', { status: 'back' })),
        ]);
        expect((await store.get<Task>('tasks', 'a'))?.status).toBe('second');
        expect(await store.get('tasks', 'b')).toBeNull();
        expect((await store.get<Task>('tasks', 'c'))?.status).toBe('back');
      });

      it('round-trips unicode in ids and values', async () => {
        const texts = [
          'Ünïcödé ñ ß',
          '日本語のテキスト',
          'emoji 🚀👩🏽‍🚀🏳️‍🌈',
          'עברית ومرحبا',
          'e\u0301 combining',
          'quotes \' " ` and \\ backslash',
          'line\nbreak\ttab \u0000 nul \u2028 sep',
          "'); DROP TABLE checkpoints; --",
        ];
        const changes = texts.map((text, i) => put('tasks', task(`id-${i}-${text.replace('\u0000', '')}`, { note: text })));
        await commit(changes);
        for (const [i, text] of texts.entries()) {
          const id = `id-${i}-${text.replace('\u0000', '')}`;
          expect(await store.get<Task>('tasks', id)).toEqual(task(id, { note: text }));
          expect(ids(await store.find('tasks', { where: { note: text } }))).toEqual([id]);
        }
      });
    });

    describe('find', () => {
      beforeEach(async () => {
        await commit([
          put('tasks', task('t1', { department: 'sales', status: 'open', dueDate: '2030-01-03', priority: 2 })),
          put('tasks', task('t2', { department: 'sales', status: 'completed', dueDate: '2030-01-01', priority: 1 })),
          put('tasks', task('t3', { department: 'legal', status: 'open', dueDate: '2030-01-02', priority: 2 })),
          put('tasks', task('t4', { department: 'legal', status: 'blocked', dueDate: '2030-01-05', priority: 3, required: false })),
          put('tasks', task('t5', { department: 'support', status: 'open', dueDate: '2030-01-04', priority: 1, note: 'n' })),
          put('other', task('o1', { department: 'sales', status: 'open' })),
        ]);
      });

      it('returns every document of the collection, ordered by id by default', async () => {
        expect(ids(await store.find('tasks'))).toEqual(['t1', 't2', 't3', 't4', 't5']);
      });

      it('filters by equality on one or more fields', async () => {
        expect(ids(await store.find('tasks', { where: { status: 'open' } }))).toEqual(['t1', 't3', 't5']);
        expect(ids(await store.find('tasks', { where: { status: 'open', department: 'sales' } }))).toEqual(['t1']);
        expect(ids(await store.find('tasks', { where: { priority: 2 } }))).toEqual(['t1', 't3']);
        expect(ids(await store.find('tasks', { where: { required: false } }))).toEqual(['t4']);
        expect(ids(await store.find('tasks', { where: { required: true, priority: 1 } }))).toEqual(['t2', 't5']);
        expect(ids(await store.find('tasks', { where: { status: 'nope' } }))).toEqual([]);
        expect(ids(await store.find('tasks', { where: { id: 't4' } }))).toEqual(['t4']);
      });

      it('matches null against null or a missing field', async () => {
        expect(ids(await store.find('tasks', { where: { note: null } }))).toEqual(['t1', 't2', 't3', 't4']);
        expect(ids(await store.find('tasks', { where: { missing: null } }))).toEqual(['t1', 't2', 't3', 't4', 't5']);
        expect(ids(await store.find('tasks', { where: { note: 'n' } }))).toEqual(['t5']);
      });

      it('compares types strictly: 1, "1" and true are different values', async () => {
        await commit([
          put('mixed', { id: 'n', position: 1, v: 1 }),
          put('mixed', { id: 's', position: 1, v: '1' }),
          put('mixed', { id: 'b', position: 1, v: true }),
          put('mixed', { id: 'z', position: 1, v: 0 }),
          put('mixed', { id: 'f', position: 1, v: false }),
          put('mixed', { id: 'o', position: 1, v: { a: 1 } }),
        ]);
        expect(ids(await store.find('mixed', { where: { v: 1 } }))).toEqual(['n']);
        expect(ids(await store.find('mixed', { where: { v: '1' } }))).toEqual(['s']);
        expect(ids(await store.find('mixed', { where: { v: true } }))).toEqual(['b']);
        expect(ids(await store.find('mixed', { where: { v: 0 } }))).toEqual(['z']);
        expect(ids(await store.find('mixed', { where: { v: false } }))).toEqual(['f']);
        expect(ids(await store.find('mixed', { where: { v: '{"a":1}' } }))).toEqual([]);
        expect(ids(await store.find('mixed', { where: { v: { in: [true, '1'] } } }))).toEqual(['b', 's']);
      });

      it('filters by { in: [...] }', async () => {
        expect(ids(await store.find('tasks', { where: { status: { in: ['blocked', 'completed'] } } }))).toEqual(['t2', 't4']);
        expect(ids(await store.find('tasks', { where: { status: { in: ['open'] }, department: { in: ['legal', 'support'] } } }))).toEqual(['t3', 't5']);
        expect(ids(await store.find('tasks', { where: { priority: { in: [3, 1] } } }))).toEqual(['t2', 't4', 't5']);
        expect(ids(await store.find('tasks', { where: { id: { in: ['t5', 't1', 'zz'] } } }))).toEqual(['t1', 't5']);
        expect(ids(await store.find('tasks', { where: { status: { in: [] } } }))).toEqual([]);
      });

      it('orders by one or more fields, ascending or descending', async () => {
        expect(ids(await store.find('tasks', { orderBy: [{ field: 'dueDate' }] }))).toEqual(['t2', 't3', 't1', 't5', 't4']);
        expect(ids(await store.find('tasks', { orderBy: [{ field: 'dueDate', direction: 'desc' }] }))).toEqual(['t4', 't5', 't1', 't3', 't2']);
        expect(
          ids(
            await store.find('tasks', {
              orderBy: [
                { field: 'priority', direction: 'desc' },
                { field: 'dueDate', direction: 'asc' },
              ],
            }),
          ),
        ).toEqual(['t4', 't3', 't1', 't2', 't5']);
        expect(ids(await store.find('tasks', { orderBy: [{ field: 'priority' }, { field: 'department', direction: 'desc' }] }))).toEqual([
          't5',
          't2',
          't1',
          't3',
          't4',
        ]);
        expect(ids(await store.find('tasks', { orderBy: [{ field: 'id', direction: 'desc' }] }))).toEqual(['t5', 't4', 't3', 't2', 't1']);
      });

      it('orders numbers numerically, not as text', async () => {
        await commit([
          put('nums', { id: 'a', position: 1, n: 10 }),
          put('nums', { id: 'b', position: 1, n: 9 }),
          put('nums', { id: 'c', position: 1, n: -1.5 }),
          put('nums', { id: 'd', position: 1, n: 100 }),
        ]);
        expect(ids(await store.find('nums', { orderBy: [{ field: 'n' }] }))).toEqual(['c', 'b', 'a', 'd']);
      });

      it('limits the result after filtering and ordering', async () => {
        expect(ids(await store.find('tasks', { where: { status: 'open' }, orderBy: [{ field: 'dueDate' }], limit: 2 }))).toEqual(['t3', 't1']);
        expect(ids(await store.find('tasks', { limit: 1 }))).toEqual(['t1']);
        expect(ids(await store.find('tasks', { limit: 100 }))).toHaveLength(5);
        expect(await store.find('tasks', { limit: 0 })).toEqual([]);
      });

      it('answers the same with indexes declared, and declaring them again is harmless', async () => {
        const query = {
          where: { department: 'sales', status: { in: ['open', 'completed'] } },
          orderBy: [{ field: 'dueDate' }],
        };
        const before = await store.find('tasks', query);
        await store.ensureIndexes('tasks', [['department', 'status', 'dueDate'], ['dueDate'], ['id']]);
        await store.ensureIndexes('tasks', [['department', 'status', 'dueDate'], ['dueDate'], ['id']]);
        await store.ensureIndexes('fresh', [['status']]);
        expect(await store.find('tasks', query)).toEqual(before);
        expect(ids(before)).toEqual(['t2', 't1']);
        expect(await store.find('fresh', { where: { status: 'open' } })).toEqual([]);
        await commit([put('fresh', task('f1'))]);
        expect(ids(await store.find('fresh', { where: { status: 'open' } }))).toEqual(['f1']);
      });

      it('deferred indexes (a rebuild): writes land, and the indexes built afterwards answer the same', async () => {
        const sets = [['status', 'dueDate'], ['department']];
        await store.ensureIndexes('rebuilt', sets, { deferred: true });
        await store.commit({ projection: 'r', changes: [put('rebuilt', task('r1', { dueDate: '2026-12-03' })), put('rebuilt', task('r2'))], position: 1 });
        await store.commit({
          projection: 'r',
          changes: [put('rebuilt', task('r1', { dueDate: '2026-12-01' })), put('rebuilt', task('r3', { status: 'done' }))],
          position: 2,
        });
        const query = { where: { status: 'open' }, orderBy: [{ field: 'dueDate' }] };
        const deferred = await store.find('rebuilt', query);
        expect(ids(deferred)).toEqual(['r1', 'r2']);
        await store.ensureIndexes('rebuilt', sets);
        expect(await store.find('rebuilt', query)).toEqual(deferred);
        await store.commit({ projection: 'r', changes: [put('rebuilt', task('r2', { status: 'done' }))], position: 3 });
        expect(ids(await store.find('rebuilt', query))).toEqual(['r1']);
        expect(ids(await store.find('rebuilt', { where: { status: 'done' }, orderBy: [{ field: 'id' }] }))).toEqual(['r2', 'r3']);
      });
    });

    findPagingContract({ store: () => store, commit });

    describe('checkpoints and batches', () => {
      it('starts every projection at checkpoint 0', async () => {
        expect(await store.checkpoint('p')).toBe(0);
        expect(await store.checkpoint('anything else')).toBe(0);
      });

      it('moves the checkpoint with the batch, per projection', async () => {
        await store.commit({ projection: 'a', changes: [put('tasks', task('t1'))], position: 5 });
        expect(await store.checkpoint('a')).toBe(5);
        expect(await store.checkpoint('b')).toBe(0);
        await store.commit({ projection: 'b', changes: [], position: 3 });
        await store.commit({ projection: 'a', changes: [], position: 9 });
        expect(await store.checkpoint('a')).toBe(9);
        expect(await store.checkpoint('b')).toBe(3);
      });

      it('ignores a batch at or below the checkpoint: replay changes nothing', async () => {
        const batch: ProjectionBatch = {
          projection: 'p',
          changes: [put('tasks', task('t1', { position: 10, status: 'done' }))],
          position: 10,
        };
        await store.commit(batch);
        // The same batch again, and an older one that would undo it.
        await store.commit(batch);
        await store.commit({
          projection: 'p',
          changes: [put('tasks', task('t1', { position: 4, status: 'stale' })), put('tasks', task('t9')), del('tasks', 't1')],
          position: 4,
        });
        await store.commit({ projection: 'p', changes: [del('tasks', 't1')], position: 10 });
        expect(await store.get('tasks', 't1')).toEqual(task('t1', { position: 10, status: 'done' }));
        expect(await store.get('tasks', 't9')).toBeNull();
        expect(await store.checkpoint('p')).toBe(10);
      });

      it('a batch of another projection is not held back by this one’s checkpoint', async () => {
        await store.commit({ projection: 'a', changes: [put('one', task('x'))], position: 100 });
        await store.commit({ projection: 'b', changes: [put('two', task('y'))], position: 50 });
        expect(await store.get('two', 'y')).not.toBeNull();
      });

      it('a batch that fails part-way leaves neither its changes nor its checkpoint', async () => {
        await store.commit({ projection: 'p', changes: [put('tasks', task('t0'))], position: 1 });
        const circular = task('bad') as Task & { self?: unknown };
        circular.self = circular;
        await expect(
          store.commit({
            projection: 'p',
            changes: [put('tasks', task('t1')), del('tasks', 't0'), put('newcollection', task('n1')), put('tasks', circular)],
            position: 2,
          }),
        ).rejects.toThrow();
        expect(await store.get('tasks', 't1')).toBeNull();
        expect(await store.get('tasks', 't0')).not.toBeNull();
        expect(await store.get('newcollection', 'n1')).toBeNull();
        expect(await store.find('newcollection')).toEqual([]);
        expect(await store.checkpoint('p')).toBe(1);
        // and the store still works
        await store.commit({ projection: 'p', changes: [put('newcollection', task('n1'))], position: 2 });
        expect(await store.get('newcollection', 'n1')).not.toBeNull();
        expect(await store.checkpoint('p')).toBe(2);
      });

      it('many batches in a row end in the state of their last changes', async () => {
        for (let i = 1; i <= 50; i++) {
          await store.commit({
            projection: 'p',
            changes: [put('counters', { id: `c${i % 5}`, position: i, count: i }), ...(i % 7 === 0 ? [del('counters', 'c0')] : [])],
            position: i,
          });
        }
        const docs = await store.find<ViewDocument & { count: number }>('counters');
        expect(docs.map((d) => [d.id, d.count, d.position])).toEqual([
          ['c0', 50, 50],
          ['c1', 46, 46],
          ['c2', 47, 47],
          ['c3', 48, 48],
          ['c4', 49, 49],
        ]);
        expect(await store.checkpoint('p')).toBe(50);
      });
    });

    describe('projections: replay and rebuild (launch-views)', () => {
      const events = launchEvents();
      const range = (from: number, to: number) => events.filter((e) => e.position >= from && e.position <= to);

      it('a replay changes nothing: the same batch again, or events replayed from an older checkpoint', async () => {
        const reference = await open();
        try {
          await projectBatch(reference.store, events);
          const expected = await launchViewsSnapshot(reference.store);
          expect((expected.launches as ViewDocument[]).map((d) => d.id)).toHaveLength(2);

          await projectBatch(store, range(1, 4));
          await projectBatch(store, range(5, 7));
          // the same batch twice (a commit whose acknowledgement was lost)
          await projectBatch(store, range(5, 7));
          // a projector that believed its checkpoint was 2: events 3…7 applied again, 8…10 new
          await projectBatch(store, range(3, 10));
          // and a replay from zero after everything
          await projectBatch(store, events);
          expect(await launchViewsSnapshot(store)).toEqual(expected);
        } finally {
          await reference.store.close().catch(() => undefined);
          await reference.cleanup();
        }
      });

      it('a rebuild from zero into an empty store equals the views built incrementally', async () => {
        for (const event of events) await projectBatch(store, [event]);
        const incremental = await launchViewsSnapshot(store);
        const rebuilt = await open();
        try {
          await projectBatch(rebuilt.store, events);
          expect(await launchViewsSnapshot(rebuilt.store)).toEqual(incremental);
          expect(incremental.checkpoint).toBe(events.length);
        } finally {
          await rebuilt.store.close().catch(() => undefined);
          await rebuilt.cleanup();
        }
      });
    });

    describe('durability', () => {
      it('keeps documents and checkpoints across close and reopen', async () => {
        if (!opened.reopen) throw new Error(`${adapterName}: the contract needs reopen()`);
        await store.ensureIndexes('tasks', [['status']]);
        await store.commit({ projection: 'p', changes: [put('tasks', task('t1', { note: 'ok ✓' })), put('tasks', task('t2'))], position: 3 });
        await store.commit({ projection: 'p', changes: [del('tasks', 't2')], position: 4 });
        await store.close();
        store = await opened.reopen();
        expect(await store.get('tasks', 't1')).toEqual(task('t1', { note: 'ok ✓' }));
        expect(await store.get('tasks', 't2')).toBeNull();
        expect(ids(await store.find('tasks', { where: { status: 'open' } }))).toEqual(['t1']);
        expect(await store.checkpoint('p')).toBe(4);
        await store.commit({ projection: 'p', changes: [put('tasks', task('t3'))], position: 4 });
        expect(await store.get('tasks', 't3')).toBeNull();
      });
    });

    describe('names', () => {
      const badCollections = [
        '',
        'tasks; DROP TABLE checkpoints; --',
        'tasks"',
        "tasks'",
        'a b',
        '../etc',
        'x.y',
        '$cmd',
        'system.users',
        '1starts-with-digit',
        'é',
        'a'.repeat(200),
      ];
      const badFields = ["a') OR 1=1 --", 'a b', "x'", 'a"', '$where', 'a..b', '.a', 'a.', '', 'é', 'a[0]', 'a-b'];

      it('rejects an unsafe collection name everywhere, and the store is unharmed', async () => {
        await commit([put('tasks', task('t1'))]);
        for (const name of badCollections) {
          await expect(store.get(name, 't1')).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.find(name)).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.ensureIndexes(name, [['status']])).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.commit({ projection: 'p', changes: [put(name, task('t2'))], position: 100 })).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.commit({ projection: 'p', changes: [del(name, 't1')], position: 100 })).rejects.toBeInstanceOf(InvalidReadModelNameError);
        }
        expect(await store.get('tasks', 't1')).toEqual(task('t1'));
        expect(await store.checkpoint('p')).toBe(1);
      });

      it('rejects an unsafe field name in where, orderBy and ensureIndexes', async () => {
        await commit([put('tasks', task('t1'))]);
        for (const field of badFields) {
          await expect(store.find('tasks', { where: { [field]: 'x' } })).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.find('tasks', { orderBy: [{ field }] })).rejects.toBeInstanceOf(InvalidReadModelNameError);
          await expect(store.ensureIndexes('tasks', [['status', field]])).rejects.toBeInstanceOf(InvalidReadModelNameError);
        }
        expect(ids(await store.find('tasks'))).toEqual(['t1']);
      });

      it('accepts ordinary names', async () => {
        for (const name of ['tasks', 'launch_readiness', 'department-tasks', 'T2', 'a'.repeat(64)]) {
          await store.ensureIndexes(name, [['status'], ['launchId', 'dueDate'], ['nested.field']]);
          await store.commit({ projection: name, changes: [put(name, task('x'))], position: 1 });
          expect(ids(await store.find(name, { where: { launchId: 'L1' }, orderBy: [{ field: 'due_date_2' }] }))).toEqual(['x']);
        }
      });

      it('treats ids and projection names as data, never as syntax', async () => {
        const id = "x'); DELETE FROM checkpoints; --";
        await store.commit({ projection: "p'; --", changes: [put('tasks', task(id))], position: 2 });
        expect(await store.get('tasks', id)).toEqual(task(id));
        expect(await store.checkpoint("p'; --")).toBe(2);
        await store.commit({ projection: 'p', changes: [del('tasks', "' OR 1=1 --")], position: 1 });
        expect(await store.get('tasks', id)).not.toBeNull();
      });
    });

    describe('health', () => {
      it('answers ping while open and fails with ReadModelStoreUnavailableError once closed', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.ping()).rejects.toBeInstanceOf(ReadModelStoreUnavailableError);
        await expect(store.get('tasks', 'x')).rejects.toBeInstanceOf(ReadModelStoreUnavailableError);
        await expect(store.commit({ projection: 'p', changes: [], position: 1 })).rejects.toBeInstanceOf(ReadModelStoreUnavailableError);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}
