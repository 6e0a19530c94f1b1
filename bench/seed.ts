/**
 * Writes valid launch streams straight into an embedded event store, without HTTP: each command
 * goes through the domain's own decide/evolve and the API's own envelope (metadata, hash chain),
 * so the events are exactly what the API would have appended, only much faster to produce.
 */
import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, SqliteEventStore, type EventToAppend } from '#event-store';
import {
  BUILT_IN_TEMPLATES,
  decide,
  evolve,
  initialState,
  launchStreamId,
  type Actor,
  type Department,
  type LaunchCommand,
  type LaunchState,
  type Tier,
} from '#launch';
import { envelope } from '../apps/api/src/launches/shared/event-envelope.js';

export const SEED_ACTOR: Actor = { id: '00000000-0000-4000-8000-00000000be0c', name: 'Bench seeder', role: 'launch-manager' };

const DEPARTMENTS: Department[] = ['product-marketing', 'marketing', 'sales', 'support', 'engineering', 'finance', 'operations', 'legal'];

/** One launch stream being written: its fold, revision and chain tip, and the events not yet appended. */
export class LaunchBuilder {
  readonly launchId = randomUUID();
  readonly streamId = launchStreamId(this.launchId);
  state: LaunchState = initialState;
  revision = -1;
  private lastHash = GENESIS_HASH;
  pending: EventToAppend[] = [];
  private clock: number;

  constructor(startMs = Date.parse('2026-10-01T08:00:00Z')) {
    this.clock = startMs;
  }

  run(command: LaunchCommand): string[] {
    const now = new Date((this.clock += 1000));
    const newIds: string[] = [];
    const context = { actor: SEED_ACTOR, correlationId: randomUUID(), causationId: randomUUID() };
    const events = decide(command, this.state, {
      actor: SEED_ACTOR,
      now,
      newId: () => {
        const id = randomUUID();
        newIds.push(id);
        return id;
      },
      templates: BUILT_IN_TEMPLATES,
    });
    const occurredAt = now.toISOString();
    for (const event of events) {
      this.revision += 1;
      const { stored } = envelope(
        event,
        { streamId: this.streamId, revision: this.revision, prevHash: this.lastHash, index: this.pending.length },
        context,
        occurredAt,
      );
      this.lastHash = String(stored.metadata.hash);
      this.pending.push(stored);
      this.state = evolve(this.state, event, { occurredAt, actor: SEED_ACTOR });
    }
    return newIds;
  }

  create(tier: Tier, name: string): void {
    this.run({ type: 'CreateLaunch', data: { launchId: this.launchId, name, product: 'Bench product', targetDate: '2027-03-01', tier } });
  }

  addTask(i: number): string {
    return this.run({ type: 'AddTask', data: { title: `Bench task ${i}`, department: DEPARTMENTS[i % DEPARTMENTS.length] } })[0]!;
  }

  /** Takes the events not yet appended, and the revision the stream had before them. */
  take(): { events: EventToAppend[]; expected: number | 'no_stream' } {
    const events = this.pending;
    this.pending = [];
    const before = this.revision - events.length;
    return { events, expected: before < 0 ? 'no_stream' : before };
  }
}

/** Appends many builders' pending events concurrently, so group commit writes them together. */
export async function flush(store: SqliteEventStore, builders: LaunchBuilder[]): Promise<number> {
  let written = 0;
  await Promise.all(
    builders.map((b) => {
      const { events, expected } = b.take();
      written += events.length;
      return events.length > 0 ? store.append(b.streamId, events, expected) : undefined;
    }),
  );
  return written;
}

/** Launches (tier 3) each with `tasksPerLaunch` added generic tasks: the open tasks the HTTP load completes. */
export async function seedOpenTasks(store: SqliteEventStore, launches: number, tasksPerLaunch: number): Promise<{ launchIds: string[]; tasks: string[][] }> {
  const launchIds: string[] = [];
  const tasks: string[][] = [];
  const chunk = 50;
  for (let start = 0; start < launches; start += chunk) {
    const builders: LaunchBuilder[] = [];
    for (let l = start; l < Math.min(launches, start + chunk); l++) {
      const b = new LaunchBuilder();
      b.create(3, `Bench launch ${l}`);
      const ids: string[] = [];
      for (let t = 0; t < tasksPerLaunch; t++) ids.push(b.addTask(t));
      builders.push(b);
      launchIds.push(b.launchId);
      tasks.push(ids);
    }
    await flush(store, builders);
  }
  return { launchIds, tasks };
}

/**
 * One launch with exactly `events` events: a tier 1 launch, generic tasks added up to 100 tasks, then
 * sign-offs, reopenings, blocks and unblocks cycling over them (every kind of change a long-lived launch sees).
 */
export async function seedLongLaunch(store: SqliteEventStore, events: number): Promise<{ launchId: string; revision: number }> {
  const b = new LaunchBuilder();
  b.create(1, 'Bench long launch');
  const generic: string[] = [];
  for (let i = 0; b.revision + 1 < Math.min(events, 100); i++) generic.push(b.addTask(i));
  const cycle = (taskId: string, step: number): LaunchCommand => {
    switch (step % 4) {
      case 0:
        return { type: 'BlockTask', data: { taskId, reason: 'waiting on a vendor' } };
      case 1:
        return { type: 'UnblockTask', data: { taskId } };
      case 2:
        return { type: 'CompleteTask', data: { taskId, note: 'done', evidenceUrl: 'https://example.com/evidence' } };
      default:
        return { type: 'ReopenTask', data: { taskId, reason: 'needs another look' } };
    }
  };
  for (let step = 0; b.revision + 1 < events; step++) {
    b.run(cycle(generic[step % generic.length]!, Math.floor(step / generic.length)));
    if (b.pending.length >= 2000) await flush(store, [b]);
  }
  await flush(store, [b]);
  return { launchId: b.launchId, revision: b.revision };
}

/**
 * About `total` events over launches of ~100 events each, a realistic mix: tier 1 and 2 launches,
 * added tasks, sign-offs with evidence, blocks and unblocks, reschedules, waivers.
 */
export async function seedHistory(store: SqliteEventStore, total: number, progress?: (written: number) => void): Promise<{ events: number; launches: number }> {
  let written = 0;
  let launches = 0;
  while (written < total) {
    const builders: LaunchBuilder[] = [];
    for (let l = 0; l < 50 && written + builders.reduce((n, b) => n + b.pending.length, 0) < total; l++) {
      const b = new LaunchBuilder();
      b.create(launches % 3 === 0 ? 1 : 2, `History launch ${launches++}`);
      const added: string[] = [];
      for (let t = 0; t < 30; t++) added.push(b.addTask(t));
      for (let t = 0; t < 30; t++) {
        const taskId = added[t]!;
        if (t % 5 === 0) {
          b.run({ type: 'BlockTask', data: { taskId, reason: 'waiting on a vendor' } });
          b.run({ type: 'UnblockTask', data: { taskId, note: 'vendor answered' } });
        }
        if (t % 7 === 0) b.run({ type: 'WaiveTask', data: { taskId, reason: 'not needed for this market' } });
        else b.run({ type: 'CompleteTask', data: { taskId, note: `signed off ${t}`, evidenceUrl: 'https://example.com/evidence' } });
      }
      b.run({ type: 'UpdateTask', data: { taskId: added[1]!, dueDate: '2027-02-15' } });
      b.run({ type: 'RescheduleLaunch', data: { targetDate: '2027-03-08', reason: 'press week moved' } });
      for (let t = 0; t < 20 && b.revision < 99; t++) {
        b.run({ type: 'ReopenTask', data: { taskId: added[t + 1]!, reason: 'evidence expired' } });
        if (b.revision < 99) b.run({ type: 'CompleteTask', data: { taskId: added[t + 1]!, note: 'signed off again' } });
      }
      builders.push(b);
    }
    written += await flush(store, builders);
    progress?.(written);
  }
  return { events: written, launches };
}
