import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { launchStreamId } from '#launch';
import { DEPARTMENT_TASKS, GenerationalReadModelStore, LAUNCHES, PROJECTIONS, Projector, SqliteReadModelStore } from '#read-models';
import { SqliteLeaseStore } from '#leases';
import { RebuildRunningError } from '../infrastructure/projector-thread/leased-rebuild.js';
import { DetachedRebuild } from './detached-rebuild.js';

const quiet = { log: () => undefined, error: () => undefined };

/** The rebuild the API runs when another process (the projector) projects: it builds and switches; the projector follows. */
describe('a rebuild run by the API for a projector process', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('builds a fresh generation equal to the views built so far, then points readers at it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detached-rebuild-'));
    dirs.push(dir);
    const events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const raw = new SqliteReadModelStore({ filename: join(dir, 'views.sqlite') });
    const views = new GenerationalReadModelStore(raw, PROJECTIONS);
    const leases = new SqliteLeaseStore(join(dir, 'leases.sqlite'));
    try {
      const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
      const head = (
        await events.append(
          launchStreamId('l1'),
          [
            {
              eventId: '00000000-0000-4000-8000-000000000001',
              type: 'LaunchCreated',
              data: {
                launchId: 'l1',
                name: 'Nova',
                product: 'Nova',
                tier: 3,
                targetDate: '2030-01-10',
                templateVersion: 'v1',
                tasks: [{ taskId: 't1', key: 'release', title: 'Release', department: 'engineering', kind: 'release', required: true, dueDate: '2030-01-05' }],
              },
              metadata: { actor, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: 'c' },
            },
          ],
          'no_stream',
        )
      ).position;
      // What the projector process built so far (generation 0).
      const projector = new Projector({ eventStore: events, store: raw, projections: [...PROJECTIONS], logger: quiet });
      await projector.start();
      await projector.waitForPosition(head, 2000);
      await projector.stop();
      const incremental = { launches: await raw.find(LAUNCHES), tasks: await raw.find(DEPARTMENT_TASKS) };

      // Another process (the CLI, another API) rebuilding: refused, nothing built.
      await leases.acquire('rebuild', 'other-process', 60_000);
      const rebuild = new DetachedRebuild(events, views, { store: leases, owner: 'this-api', ttlMs: 3000 });
      await expect(rebuild.start()).rejects.toThrow(RebuildRunningError);
      expect(await rebuild.status()).toMatchObject({ state: 'rebuilding', generation: 0 });
      await leases.release('rebuild', 'other-process');

      expect((await rebuild.start()).state).toBe('rebuilding');
      await expect(rebuild.start()).rejects.toThrow(RebuildRunningError); // one at a time here too
      await rebuild.settled();
      expect(await leases.holder('rebuild')).toBeNull(); // released once switched over
      expect(await rebuild.status()).toMatchObject({ state: 'idle', generation: 1, lastRebuild: { generation: 1, position: head } });
      expect({ launches: await raw.find(`${LAUNCHES}__g1`), tasks: await raw.find(`${DEPARTMENT_TASKS}__g1`) }).toEqual(incremental);
      expect(await views.find(LAUNCHES)).toEqual(incremental.launches);
    } finally {
      await leases.close();
      await events.close();
      await raw.close();
    }
  });
});
