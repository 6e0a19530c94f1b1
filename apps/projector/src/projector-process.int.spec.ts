import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { launchStreamId } from '#launch';
import { buildGeneration, collectionIn, LAUNCHES, PROJECTIONS, SqliteReadModelStore, type LaunchView } from '#read-models';
import { loadStoreConfig } from '#platform';
import { eventually } from '../../../test/support/chained-events.js';
import { startProjectorProcess, type ProjectorProcess } from './projector-process.js';

const launchId = '33333333-3333-4333-8333-333333333333';
const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
const event = (n: number, type: string, data: Record<string, unknown>): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  type,
  data,
  metadata: { actor, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: 'c' },
});
const created = event(1, 'LaunchCreated', {
  launchId,
  name: 'Comet',
  product: 'Comet',
  tier: 3,
  targetDate: '2030-01-10',
  templateVersion: 'v1',
  tasks: [{ taskId: 't1', key: 'release', title: 'Release', department: 'engineering', kind: 'release', required: true, dueDate: '2030-01-05' }],
});
const rescheduled = event(2, 'LaunchRescheduled', { targetDate: '2030-02-01', previousTargetDate: '2030-01-10', reason: 'QA' });

describe('the projector process on the embedded stores', () => {
  let dataDir: string;
  let running: ProjectorProcess | undefined;
  let events: SqliteEventStore;
  let views: SqliteReadModelStore;

  afterEach(async () => {
    await running?.stop();
    await events?.close();
    await views?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-ledger-key`, { recursive: true, force: true }); // the ledger key generated beside DATA_DIR
  });

  it('projects the events appended by others, resumes from its checkpoint after a restart, and stops on stop()', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'projector-process-'));
    events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    await events.append(launchStreamId(launchId), [created], 'no_stream');

    running = await startProjectorProcess(loadStoreConfig({ DATA_DIR: dataDir }), { owner: 'test-1' });
    views = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
    const first = await eventually(
      () => views.get<LaunchView>(LAUNCHES, launchId),
      (v) => v !== null,
    );
    expect(first).toMatchObject({ name: 'Comet', targetDate: '2030-01-10', revision: 0 });
    expect(running.status()).toEqual([expect.objectContaining({ name: 'launch-views', leaseHeld: true })]);

    await running.stop();
    expect(running.status()).toEqual([{ name: 'launch-views', leaseHeld: false }]);
    const { position } = await events.append(launchStreamId(launchId), [rescheduled], 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await views.checkpoint('launch-views')).toBe(position - 1); // stopped: nothing more projected

    running = await startProjectorProcess(loadStoreConfig({ DATA_DIR: dataDir }), { owner: 'test-2' });
    const resumed = await eventually(
      () => views.get<LaunchView>(LAUNCHES, launchId),
      (v) => v?.revision === 1,
    );
    expect(resumed).toMatchObject({ targetDate: '2030-02-01', revision: 1, position });
    expect(await views.checkpoint('launch-views')).toBe(position);
  });

  it('follows a rebuild made by another process: after the switch it projects into the new generation', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'projector-process-'));
    events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    await events.append(launchStreamId(launchId), [created], 'no_stream');
    running = await startProjectorProcess(loadStoreConfig({ DATA_DIR: dataDir }), { owner: 'follower' });
    views = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
    await eventually(
      () => views.get<LaunchView>(LAUNCHES, launchId),
      (v) => v !== null,
    );

    const quiet = { log: () => undefined, error: () => undefined };
    const { generation } = await buildGeneration({ eventStore: events, store: views, projections: PROJECTIONS, logger: quiet });
    expect(generation).toBe(1);
    const { position } = await events.append(launchStreamId(launchId), [rescheduled], 0);

    const rebuilt = await eventually(
      () => views.get<LaunchView>(collectionIn(LAUNCHES, generation), launchId),
      (v) => v?.revision === 1,
    );
    expect(rebuilt).toMatchObject({ targetDate: '2030-02-01', position });
  });

  it('shares the projector lease of DATA_DIR/leases.sqlite with every other process there: one projects, the other takes over when it stops', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'projector-process-'));
    events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    await events.append(launchStreamId(launchId), [created], 'no_stream');
    const config = loadStoreConfig({ DATA_DIR: dataDir });
    running = await startProjectorProcess(config, { owner: 'first', leaseTtlMs: 600 });
    const second = await startProjectorProcess(config, { owner: 'second', leaseTtlMs: 600 });
    try {
      await eventually(
        async () => running!.status()[0]!.leaseHeld,
        (held) => held,
      );
      await new Promise((resolve) => setTimeout(resolve, 700)); // more than a ttl: renewed, never handed over
      expect([running.status()[0]!.leaseHeld, second.status()[0]!.leaseHeld]).toEqual([true, false]);
      expect(second.status()[0]!.projection).toBeUndefined();

      await running.stop(); // releases the lease
      expect(
        await eventually(
          async () => second.status()[0]!.leaseHeld,
          (held) => held,
          3000,
        ),
      ).toBe(true);
      views = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
      const { position } = await events.append(launchStreamId(launchId), [rescheduled], 0);
      expect(
        await eventually(
          () => views.get<LaunchView>(LAUNCHES, launchId),
          (v) => v?.revision === 1,
        ),
      ).toMatchObject({ position });
    } finally {
      await second.stop();
    }
  });
});
