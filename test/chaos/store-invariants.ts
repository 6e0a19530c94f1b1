import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, verifyChain, type RecordedEvent } from '#event-store';
import { LAUNCH_STREAM_PREFIX, launchStreamId } from '#launch';
import { DEPARTMENT_TASKS, LAUNCHES, launchViewsProjection, Projector, SqliteReadModelStore, type ViewDocument } from '#read-models';
import type { Acknowledged } from './workload.js';

export interface Check {
  name: string;
  failures: string[];
}

const MAX_REPORTED = 10;

/**
 * The crash-safety properties, checked on a stopped server's DATA_DIR with the library code:
 * acknowledged commands are stored, no event is duplicated, revisions have no gaps, each launch's
 * hash chain verifies, and the views equal a rebuild from zero.
 */
export async function checkDataDir(dataDir: string, acknowledged: Acknowledged[]): Promise<Check[]> {
  const events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
  try {
    const all: RecordedEvent[] = [];
    for await (const event of events.readAll()) all.push(event);
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of all) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
    return [
      check('every acknowledged command is in the store', acknowledgedAreStored(acknowledged, streams)),
      check('no event is duplicated', noDuplicates(all)),
      check('no event names a task that was never added', noUnknownTasks(streams)),
      check('stream revisions and global positions have no gaps', noGaps(all, streams)),
      check('every launch hash chain verifies', await chainsVerify(events, streams)),
      check('the views equal a rebuild from zero', await viewsEqualRebuild(dataDir, events)),
    ];
  } finally {
    await events.close();
  }
}

function check(name: string, failures: string[]): Check {
  return { name, failures };
}

function acknowledgedAreStored(acknowledged: Acknowledged[], streams: Map<string, RecordedEvent[]>): string[] {
  const failures: string[] = [];
  for (const ack of acknowledged) {
    const stream = streams.get(launchStreamId(ack.launchId)) ?? [];
    const last = stream[ack.revision];
    const what = `${ack.command} on ${ack.launchId}${ack.taskId ? ` task ${ack.taskId}` : ''} (revision ${ack.revision}, position ${ack.position})`;
    if (!last || last.revision !== ack.revision || last.position !== ack.position) {
      failures.push(`${what}: not in the store as answered`);
      continue;
    }
    const recorded = stream.slice(ack.revision - ack.events.length + 1, ack.revision + 1);
    if (recorded.map((e) => e.type).join() !== ack.events.join()) {
      failures.push(`${what}: answered events ${ack.events.join()} but the store has ${recorded.map((e) => e.type).join()}`);
    }
    // The first event is the command's own (a reopen may go on to invalidate other tasks' sign-offs).
    const subject = (recorded[0]?.data as { taskId?: string } | undefined)?.taskId;
    if (ack.taskId && recorded.length > 0 && subject !== ack.taskId) {
      failures.push(`${what}: answered task ${ack.taskId} but the stored ${recorded[0].type} is about task ${subject}`);
    }
    const keyed = ack.idempotencyKey === undefined ? [] : stream.filter((e) => e.metadata.idempotencyKey === ack.idempotencyKey);
    if (keyed.length > 0 && keyed.map((e) => e.type).join() !== ack.events.join()) {
      failures.push(`${what}: answered events [${ack.events.join()}] but its Idempotency-Key stored [${keyed.map((e) => `${e.type}@${e.revision}`).join()}]`);
    }
    if (ack.idempotencyKey && recorded.some((e) => e.metadata.idempotencyKey !== ack.idempotencyKey)) {
      failures.push(`${what}: the stored events do not carry its Idempotency-Key`);
    }
  }
  return failures;
}

function noDuplicates(all: RecordedEvent[]): string[] {
  const failures: string[] = [];
  const ids = new Set<string>();
  const keyed = new Map<string, string>();
  for (const event of all) {
    if (ids.has(event.eventId)) failures.push(`event id ${event.eventId} is stored twice`);
    ids.add(event.eventId);
    const key = event.metadata.idempotencyKey;
    if (typeof key === 'string') {
      // One keyed command appends once: all its events share one append, so one position range in one stream.
      const actor = (event.metadata.actor as { id: string }).id;
      const slot = `${actor}\n${key}`;
      const first = keyed.get(slot);
      if (first !== undefined && first !== `${event.streamId}@${event.metadata.correlationId}`) {
        failures.push(`Idempotency-Key ${key} appended by two commands (${first} and ${event.streamId}@${event.metadata.correlationId})`);
      }
      keyed.set(slot, `${event.streamId}@${event.metadata.correlationId}`);
    }
  }
  return failures;
}

/** A completion, block, waive… of a taskId that neither LaunchCreated nor a TaskAdded of that launch introduced. */
function noUnknownTasks(streams: Map<string, RecordedEvent[]>): string[] {
  const failures: string[] = [];
  for (const [streamId, stream] of streams) {
    if (!streamId.startsWith(LAUNCH_STREAM_PREFIX)) continue;
    const known = new Set<string>();
    for (const event of stream) {
      const data = event.data as { taskId?: string; invalidatedBy?: string; tasks?: { taskId: string }[] };
      if (event.type === 'LaunchCreated') for (const task of data.tasks ?? []) known.add(task.taskId);
      if (event.type === 'TaskAdded' && data.taskId) {
        known.add(data.taskId);
        continue;
      }
      for (const taskId of [data.taskId, data.invalidatedBy]) {
        if (taskId !== undefined && !known.has(taskId))
          failures.push(`${streamId} revision ${event.revision} (position ${event.position}): ${event.type} names task ${taskId}, which was never added`);
      }
    }
  }
  return failures;
}

function noGaps(all: RecordedEvent[], streams: Map<string, RecordedEvent[]>): string[] {
  const failures: string[] = [];
  all.forEach((event, i) => {
    if (event.position !== i + 1) failures.push(`global position ${event.position} at index ${i}`);
  });
  for (const [streamId, stream] of streams) {
    stream.forEach((event, i) => {
      if (event.revision !== i) failures.push(`${streamId}: revision ${event.revision} at index ${i}`);
    });
  }
  return failures;
}

async function chainsVerify(events: SqliteEventStore, streams: Map<string, RecordedEvent[]>): Promise<string[]> {
  const failures: string[] = [];
  for (const streamId of streams.keys()) {
    if (!streamId.startsWith(LAUNCH_STREAM_PREFIX)) continue;
    const result = await verifyChain(events.readStream(streamId));
    if (!result.valid) failures.push(`${streamId}: the chain breaks at revision ${result.firstInvalidRevision}`);
  }
  return failures;
}

async function viewsEqualRebuild(dataDir: string, events: SqliteEventStore): Promise<string[]> {
  const live = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
  const scratch = mkdtempSync(join(tmpdir(), 'chaos-rebuild-'));
  const rebuilt = new SqliteReadModelStore({ filename: join(scratch, 'read-models.sqlite') });
  try {
    const head = await events.headPosition();
    const checkpoint = await live.checkpoint(launchViewsProjection.name);
    if (checkpoint !== head) return [`the live views stopped at position ${checkpoint}, the log ends at ${head}`];
    const projector = new Projector({
      eventStore: events,
      store: rebuilt,
      projections: [launchViewsProjection],
      logger: { log: () => undefined, error: () => undefined },
    });
    await projector.start();
    const caughtUp = await projector.waitForPosition(head, 60_000);
    await projector.stop();
    if (!caughtUp) return [`the rebuild did not reach position ${head}`];
    const failures: string[] = [];
    for (const collection of [LAUNCHES, DEPARTMENT_TASKS]) {
      const expected = byId(await rebuilt.find(collection));
      const actual = byId(await live.find(collection));
      for (const id of new Set([...expected.keys(), ...actual.keys()])) {
        const want = JSON.stringify(expected.get(id));
        const got = JSON.stringify(actual.get(id));
        if (want !== got) failures.push(`${collection}/${id}: live ${got?.slice(0, 300)} ≠ rebuilt ${want?.slice(0, 300)}`);
      }
    }
    return failures;
  } finally {
    await live.close();
    await rebuilt.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function byId(docs: ViewDocument[]): Map<string, ViewDocument> {
  return new Map(docs.map((doc) => [doc.id, sortKeys(doc) as ViewDocument]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

export function summarize(checks: Check[]): string {
  return checks
    .map(
      (c) =>
        `  ${c.failures.length === 0 ? 'PASS' : 'FAIL'}  ${c.name}${
          c.failures.length
            ? `\n${c.failures
                .slice(0, MAX_REPORTED)
                .map((f) => `          - ${f}`)
                .join('\n')}${c.failures.length > MAX_REPORTED ? `\n          … and ${c.failures.length - MAX_REPORTED} more` : ''}`
            : ''
        }`,
    )
    .join('\n');
}
