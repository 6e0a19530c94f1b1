import { describe, expect, it } from '@jest/globals';
import { ViewCache } from './view-cache.js';

const doc = (id: string, position: number) => ({ id, position });

describe('ViewCache', () => {
  it('keeps what the store answered (absent too) and what batches committed, for collections it was read from', () => {
    const cache = new ViewCache(10);
    expect(cache.get('launches', 'a')).toBeUndefined();
    cache.stored('launches', 'a', doc('a', 1));
    cache.stored('launches', 'gone', null);
    cache.committed([
      { kind: 'put', collection: 'launches', doc: doc('a', 5) },
      { kind: 'put', collection: 'launches', doc: doc('b', 5) },
      { kind: 'delete', collection: 'launches', id: 'c' },
      { kind: 'put', collection: 'department_tasks', doc: doc('t', 5) },
    ]);
    expect(cache.get('launches', 'a')).toEqual(doc('a', 5));
    expect(cache.get('launches', 'b')).toEqual(doc('b', 5));
    expect(cache.get('launches', 'gone')).toBeNull();
    expect(cache.get('launches', 'c')).toBeNull();
    // Never read: its documents would only push out the ones that are.
    expect(cache.get('department_tasks', 't')).toBeUndefined();
  });

  it('lets the least recently used document go past its capacity', () => {
    const cache = new ViewCache(2);
    cache.stored('v', 'a', doc('a', 1));
    cache.stored('v', 'b', doc('b', 1));
    cache.get('v', 'a');
    cache.stored('v', 'c', doc('c', 1));
    expect(cache.size).toBe(2);
    expect(cache.get('v', 'b')).toBeUndefined();
    expect(cache.get('v', 'a')).toEqual(doc('a', 1));
    expect(cache.get('v', 'c')).toEqual(doc('c', 1));
  });

  it('keeps nothing with capacity 0, and nothing after clear()', () => {
    const off = new ViewCache(0);
    off.stored('v', 'a', doc('a', 1));
    expect(off.get('v', 'a')).toBeUndefined();
    const cache = new ViewCache(5);
    cache.stored('v', 'a', doc('a', 1));
    cache.clear();
    expect(cache.get('v', 'a')).toBeUndefined();
  });
});
