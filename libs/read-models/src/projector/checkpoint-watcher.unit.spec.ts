import { describe, expect, it } from '@jest/globals';
import type { ReadModelStore } from '../read-model-store.port.js';
import { CheckpointWatcher } from './checkpoint-watcher.js';

/** A store whose checkpoints the test sets, counting the reads. */
function checkpointStore(initial: Record<string, number> = {}) {
  const checkpoints = new Map(Object.entries(initial));
  let reads = 0;
  let failing = false;
  const store = {
    async checkpoint(projection: string) {
      reads += 1;
      if (failing) throw new Error('unavailable');
      return checkpoints.get(projection) ?? 0;
    },
  } as unknown as ReadModelStore;
  return {
    store,
    set: (projection: string, position: number) => checkpoints.set(projection, position),
    reads: () => reads,
    fail: (value: boolean) => (failing = value),
  };
}

describe('CheckpointWatcher', () => {
  describe('in process (notified, no polling)', () => {
    it('resolves true once every projection is notified at or past the position', async () => {
      const { store, reads } = checkpointStore();
      const watcher = CheckpointWatcher.inProcess(store, ['a', 'b']);
      const waiting = watcher.waitForPosition(10, 5000);
      let settled: boolean | undefined;
      void waiting.then((value) => (settled = value));
      watcher.notify('a', 12);
      await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBeUndefined();
      watcher.notify('b', 10);
      expect(await waiting).toBe(true);
      expect(watcher.current()).toBe(10);
      expect(await watcher.checkpoint()).toBe(10);
      expect(reads()).toBe(0);
      watcher.close();
    });

    it('answers at once for a position already reached, and false after the timeout otherwise', async () => {
      const { store } = checkpointStore({ a: 100 });
      const watcher = CheckpointWatcher.inProcess(store, ['a']);
      watcher.notify('a', 5);
      expect(await watcher.waitForPosition(5, 0)).toBe(true);
      expect(await watcher.waitForPosition(0, 0)).toBe(true);
      const started = Date.now();
      // The store says 100, but this watcher does not poll.
      expect(await watcher.waitForPosition(6, 80)).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(70);
      watcher.close();
    });

    it('ignores a lower checkpoint and unknown projections', async () => {
      const { store } = checkpointStore();
      const watcher = CheckpointWatcher.inProcess(store, ['a']);
      watcher.notify('a', 9);
      watcher.notify('a', 3);
      watcher.notify('zzz', 1000);
      expect(watcher.current()).toBe(9);
      watcher.close();
    });

    it('ends pending waits with false on close', async () => {
      const { store } = checkpointStore();
      const watcher = CheckpointWatcher.inProcess(store, ['a']);
      const waiting = watcher.waitForPosition(1, 60_000);
      watcher.close();
      expect(await waiting).toBe(false);
      expect(await watcher.waitForPosition(1, 60_000)).toBe(false);
    });

    it('with no projections, everything has been processed', async () => {
      const watcher = CheckpointWatcher.inProcess(checkpointStore().store, []);
      expect(await watcher.waitForPosition(1_000_000, 0)).toBe(true);
      watcher.close();
    });
  });

  describe('polling the store (projections run in another process)', () => {
    it('reads the store at once, then every interval while someone waits', async () => {
      const { store, set, reads } = checkpointStore({ a: 4, b: 7 });
      const watcher = CheckpointWatcher.polling(store, ['a', 'b'], 20);
      expect(await watcher.waitForPosition(4, 0)).toBe(true);
      const waiting = watcher.waitForPosition(8, 5000);
      setTimeout(() => {
        set('a', 9);
        set('b', 8);
      }, 60);
      const started = Date.now();
      expect(await waiting).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await watcher.checkpoint()).toBe(8);
      // No one waits any more: no more polling.
      const after = reads();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(reads()).toBe(after);
      watcher.close();
    });

    it('times out with false, and keeps polling through store failures', async () => {
      const { store, set, fail } = checkpointStore({ a: 1 });
      const watcher = CheckpointWatcher.polling(store, ['a'], 10);
      expect(await watcher.waitForPosition(2, 50)).toBe(false);
      fail(true);
      const waiting = watcher.waitForPosition(2, 5000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      set('a', 2);
      fail(false);
      expect(await waiting).toBe(true);
      watcher.close();
    });
  });
});
