import { describe, expect, it } from '@jest/globals';
import type { ReadModelStore, ViewDocument } from '../read-model-store.port.js';
import { BatchUnitOfWork } from './batch-unit-of-work.js';

/** A store that only answers get() from a fixed map and counts the reads. */
function readOnlyStore(docs: Record<string, Record<string, ViewDocument>>) {
  const reads: string[] = [];
  const store = {
    async get(collection: string, id: string) {
      reads.push(`${collection}/${id}`);
      return (docs[collection]?.[id] as never) ?? null;
    },
  } as unknown as ReadModelStore;
  return { store, reads };
}

describe('BatchUnitOfWork', () => {
  it('reads a document from the store once, then from the batch', async () => {
    const { store, reads } = readOnlyStore({ c: { a: { id: 'a', position: 3, n: 1 } } });
    const views = new BatchUnitOfWork(store, new Set(['c']));
    expect(await views.get('c', 'a')).toEqual({ id: 'a', position: 3, n: 1 });
    expect(await views.get('c', 'a')).toEqual({ id: 'a', position: 3, n: 1 });
    expect(await views.get('c', 'missing')).toBeNull();
    expect(await views.get('c', 'missing')).toBeNull();
    expect(reads).toEqual(['c/a', 'c/missing']);
  });

  it('lets later reads see the batch’s puts and deletes, and commits the last change of each document', async () => {
    const { store, reads } = readOnlyStore({ c: { a: { id: 'a', position: 3 }, b: { id: 'b', position: 3 } } });
    const views = new BatchUnitOfWork(store, new Set(['c', 'd']));
    views.put('c', { id: 'new', position: 4, v: 1 });
    expect(await views.get('c', 'new')).toEqual({ id: 'new', position: 4, v: 1 });
    views.put('c', { id: 'new', position: 5, v: 2 });
    expect(await views.get('c', 'new')).toEqual({ id: 'new', position: 5, v: 2 });
    views.delete('c', 'a');
    expect(await views.get('c', 'a')).toBeNull();
    views.put('d', { id: 'a', position: 6 });
    views.delete('c', 'b');
    views.put('c', { id: 'b', position: 7, back: true });
    expect(await views.get('c', 'b')).toEqual({ id: 'b', position: 7, back: true });
    expect(reads).toEqual([]);
    expect(views.changes()).toEqual([
      { kind: 'put', collection: 'c', doc: { id: 'new', position: 5, v: 2 } },
      { kind: 'delete', collection: 'c', id: 'a' },
      { kind: 'put', collection: 'c', doc: { id: 'b', position: 7, back: true } },
      { kind: 'put', collection: 'd', doc: { id: 'a', position: 6 } },
    ]);
    expect(views.size).toBe(4);
  });

  it('does not let a read that was in flight hide a put made meanwhile', async () => {
    let release!: () => void;
    const store = {
      get: () => new Promise((resolve) => (release = () => resolve({ id: 'a', position: 1, old: true }))),
    } as unknown as ReadModelStore;
    const views = new BatchUnitOfWork(store, new Set(['c']));
    const reading = views.get('c', 'a');
    views.put('c', { id: 'a', position: 2, old: false });
    release();
    expect(await reading).toEqual({ id: 'a', position: 2, old: false });
    expect(await views.get('c', 'a')).toEqual({ id: 'a', position: 2, old: false });
  });

  it('refuses writes to collections the projection does not declare, and malformed documents', () => {
    const { store } = readOnlyStore({});
    const views = new BatchUnitOfWork(store, new Set(['c']), 'projection counts');
    expect(() => views.put('other', { id: 'a', position: 1 })).toThrow(/projection counts writes other/);
    expect(() => views.delete('other', 'a')).toThrow(/does not declare/);
    expect(() => views.put('c', { position: 1 } as never)).toThrow(TypeError);
    expect(() => views.put('c', { id: 'a' } as never)).toThrow(TypeError);
    expect(() => views.put('c', { id: 'a', position: Number.NaN })).toThrow(TypeError);
    expect(views.changes()).toEqual([]);
  });

  it('without a declared set, still refuses unsafe collection names', () => {
    const { store } = readOnlyStore({});
    const views = new BatchUnitOfWork(store);
    views.put('fine', { id: 'a', position: 1 });
    expect(() => views.put('bad"; --', { id: 'a', position: 1 })).toThrow(/invalid collection/);
  });
});
