import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryLeaseStore, LEASES } from '#leases';
import { GenerationalReadModelStore, PROJECTIONS, SqliteReadModelStore } from '#read-models';
import type { RunningProjections } from '../store-tokens.js';
import { LeasedProjections } from './leased-projections.js';

/** Long enough that timers delayed by a loaded machine still renew in time; short enough to outlast several times. */
const TTL_MS = 600;

/** A runner whose start() resolves only when the test says so, as a thread starting on a loaded machine. */
function slowRunner() {
  let finishStart!: () => void;
  const startDone = new Promise<void>((resolve) => (finishStart = resolve));
  const calls: string[] = [];
  const runner: RunningProjections = {
    start: async () => {
      calls.push('start');
      await startDone;
    },
    stop: async () => void calls.push('stop'),
    status: () => ({ running: true, generation: 0, projections: [] }),
    rebuildStatus: () => ({ state: 'idle', generation: 0 }),
    checkpoint: async () => 0,
    waitForPosition: async () => true,
    rebuild: () => ({ state: 'idle', generation: 0 }),
  };
  return { runner, calls, finishStart };
}

describe('LeasedProjections: the projector lease while the projections start', () => {
  let dir: string;
  let raw: SqliteReadModelStore;
  let views: GenerationalReadModelStore;
  const errors: string[] = [];
  const logger = { log: () => undefined, error: (message: string) => void errors.push(message) };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leased-projections-'));
    raw = new SqliteReadModelStore({ filename: join(dir, 'read-models.sqlite') });
    views = new GenerationalReadModelStore(raw, PROJECTIONS);
    errors.length = 0;
  });
  afterEach(async () => {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps renewing the lease while the runner takes longer to start than the lease lasts, so no other process takes it', async () => {
    const store = new InMemoryLeaseStore();
    const slow = slowRunner();
    const projections = new LeasedProjections({
      leases: { store, owner: 'here', ttlMs: TTL_MS },
      create: () => slow.runner,
      views,
      projections: PROJECTIONS.map((p) => p.name),
      logger,
    });
    let started = false;
    const starting = projections.start().then(() => (started = true));
    try {
      const until = Date.now() + 3 * TTL_MS;
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, TTL_MS / 4));
        expect((await store.holder(LEASES.projector))?.owner).toBe('here');
        expect(await store.acquire(LEASES.projector, 'elsewhere', TTL_MS)).toBe(false);
      }
      // Still starting: start() waits for the projections, the lease did not.
      expect(started).toBe(false);
      expect(projections.projectsHere).toBe(true);
      slow.finishStart();
      await starting;
      expect(slow.calls).toEqual(['start']);
    } finally {
      slow.finishStart();
      await projections.stop();
    }
    expect(slow.calls).toEqual(['start', 'stop']);
    expect(await store.holder(LEASES.projector)).toBeNull(); // released on stop: another process takes over at once
  });

  it('a runner that fails to start is reported, and start() still resolves', async () => {
    const store = new InMemoryLeaseStore();
    const projections = new LeasedProjections({
      leases: { store, owner: 'here', ttlMs: TTL_MS },
      create: () => ({ ...slowRunner().runner, start: async () => Promise.reject(new Error('no thread for you')) }),
      views,
      projections: PROJECTIONS.map((p) => p.name),
      logger,
    });
    try {
      await projections.start();
      expect(errors).toContain('the projections failed to start');
    } finally {
      await projections.stop();
    }
  });
});
