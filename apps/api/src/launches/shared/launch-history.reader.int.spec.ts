import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { eventContext, evolve, initialState, type LaunchState, launchStreamId, toLaunchEvent } from '#launch';
import { SNAPSHOT_EVERY } from './fold-snapshots.js';
import { LaunchHistoryReader } from './launch-history.reader.js';

const LAUNCH = '22222222-2222-4222-8222-222222222222';
const START = Date.parse('2026-01-01T00:00:00Z');
const at = (i: number) => new Date(START + i * 60_000).toISOString();
const actor = { id: 'p1', name: 'Lee', role: 'launch-manager' };
let ids = 0;
const event = (i: number, type: string, data: Record<string, unknown>): EventToAppend => ({
  eventId: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  type,
  data,
  metadata: { actor, occurredAt: at(i), correlationId: 'c' },
});

describe('LaunchHistoryReader with fold snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'history-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const count = SNAPSHOT_EVERY * 3 + 17;
  const all: EventToAppend[] = [];

  beforeAll(async () => {
    all.push(
      event(0, 'LaunchCreated', {
        launchId: LAUNCH,
        name: 'Long',
        product: 'L',
        tier: 3,
        targetDate: '2026-03-01',
        templateVersion: 'v',
        tasks: [{ taskId: 't1', key: 'k', title: 'T', department: 'legal', kind: 'generic', required: true, dueDate: '2026-02-01' }],
      }),
    );
    for (let i = 1; i < count; i++)
      all.push(event(i, i % 2 === 1 ? 'TaskBlocked' : 'TaskUnblocked', i % 2 === 1 ? { taskId: 't1', reason: `r${i}` } : { taskId: 't1' }));
    for (let i = 0; i < all.length; i += 500) await store.append(launchStreamId(LAUNCH), all.slice(i, i + 500), i === 0 ? 'no_stream' : i - 1);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function naive(untilRevision: number): Promise<LaunchState> {
    let state: LaunchState = initialState;
    for await (const recorded of store.readStream(launchStreamId(LAUNCH), { toRevision: untilRevision })) {
      const e = toLaunchEvent(recorded);
      if (e) state = evolve(state, e, eventContext(recorded));
    }
    return state;
  }

  it('answers every point exactly as a fold from the first event does, cold and warm', async () => {
    const reader = new LaunchHistoryReader(store);
    const points = [0, 1, SNAPSHOT_EVERY - 2, SNAPSHOT_EVERY - 1, SNAPSHOT_EVERY, 2 * SNAPSHOT_EVERY + 5, count - 1];
    for (const pass of ['cold', 'warm']) {
      for (const revision of [...points].reverse()) {
        const byRevision = await reader.at(LAUNCH, { atRevision: revision });
        const byInstant = await reader.at(LAUNCH, { asOf: at(revision) });
        const { exists: _e, ...expected } = (await naive(revision)) as LaunchState & { exists: true };
        expect({ pass, ...byRevision }).toEqual({ pass, launch: expected, revision, lastOccurredAt: at(revision) });
        expect(byInstant).toEqual(byRevision);
      }
    }
    expect(await reader.at(LAUNCH, { asOf: new Date(START - 1).toISOString() })).toBeNull();
  });
});
