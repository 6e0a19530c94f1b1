import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Actor } from '../src/actor.js';
import type { LaunchCommand } from '../src/commands.js';
import { decide } from '../src/decide.js';
import { DEPARTMENT_KEYS } from '../src/departments.js';
import { DomainError } from '../src/errors.js';
import type { LaunchEvent } from '../src/events.js';
import { evolve } from '../src/evolve.js';
import { computeReadiness } from '../src/readiness.js';
import { initialState, isDone, type Launch, type LaunchState, type Task } from '../src/state.js';
import { COMPLETION_EVENTS, type TaskKind } from '../src/task-kinds.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';

/**
 * Properties of the decider over random command sequences by random actors: whatever is sent, the
 * rules hold. Commands are drawn as intents (which command, which actor, which task) and aimed at
 * the launch as it is at that moment, so most of them are meaningful and many are refused.
 */
const NOW = new Date('2030-01-01T09:00:00Z');
const LAUNCH_ID = '00000000-0000-4000-8000-000000000001';

const ACTORS: Actor[] = [
  { id: 'a', name: 'Admin', role: 'admin' },
  { id: 'm', name: 'Manager', role: 'launch-manager' },
  { id: 'u', name: 'Auditor', role: 'auditor' },
  ...DEPARTMENT_KEYS.map((department): Actor => ({ id: `d-${department}`, name: department, role: 'department', department })),
];

const DETAILS: Record<TaskKind, Record<string, unknown> | undefined> = {
  messaging: { documentUrl: 'https://docs.example.com/m', version: 'v1' },
  'sales-training': { sessionDate: '2030-01-02', repsTrained: 5, repsTotal: 6 },
  pr: { announceAt: '2030-01-15T09:00:00Z', outlets: ['Example Times'] },
  pricing: { currency: 'EUR', listPrice: 10 },
  'support-training': { sessionDate: '2030-01-03', agentsTrained: 3 },
  docs: { url: 'https://docs.example.com/d' },
  release: { version: '1.0.0' },
  generic: undefined,
};

const COMMAND_TYPES: LaunchCommand['type'][] = [
  'CreateLaunch',
  'AddTask',
  'CompleteTask',
  'BlockTask',
  'UnblockTask',
  'WaiveTask',
  'ReopenTask',
  'UpdateTask',
  'CommentOnTask',
  'EditLaunchDetails',
  'RescheduleLaunch',
  'DecideGoNoGo',
  'MarkLaunched',
  'CancelLaunch',
  'CastVote',
];

const anyIntent = fc.record({
  type: fc.constantFrom(...COMMAND_TYPES),
  actor: fc.nat(ACTORS.length - 1),
  task: fc.nat(),
  flag: fc.boolean(),
  tier: fc.constantFrom(1, 2, 3),
  department: fc.constantFrom(...DEPARTMENT_KEYS),
});
/** A manager signing off or waiving with fitting evidence, or deciding: so that sequences often get to go, launch and beyond. */
const progressIntent = fc.record({
  type: fc.constantFrom<LaunchCommand['type']>('CompleteTask', 'CompleteTask', 'WaiveTask', 'DecideGoNoGo', 'MarkLaunched'),
  actor: fc.constant(1),
  task: fc.nat(),
  flag: fc.constant(true),
  tier: fc.constantFrom(1, 2, 3),
  department: fc.constantFrom(...DEPARTMENT_KEYS),
});
const intent = fc.oneof({ arbitrary: anyIntent, weight: 2 }, { arbitrary: progressIntent, weight: 3 });
type Intent = typeof intent extends fc.Arbitrary<infer T> ? T : never;

function aim(i: Intent, state: LaunchState): LaunchCommand {
  const tasks = state.exists ? state.tasks : [];
  const task: Task | undefined = tasks.length > 0 ? tasks[i.task % tasks.length] : undefined;
  const taskId = task?.taskId ?? 'no-such-task';
  switch (i.type) {
    case 'CreateLaunch':
      return { type: 'CreateLaunch', data: { launchId: LAUNCH_ID, name: 'Prop', product: 'P', targetDate: '2030-02-01', tier: i.tier as 1 | 2 | 3 } };
    case 'AddTask':
      return { type: 'AddTask', data: { title: 'Extra', department: i.department, required: i.flag } };
    case 'CompleteTask':
      // flag: evidence that fits the kind, or none (refused for kinds that need it)
      return { type: 'CompleteTask', data: { taskId, ...(i.flag && task && DETAILS[task.kind] && { details: DETAILS[task.kind] }) } };
    case 'BlockTask':
      return { type: 'BlockTask', data: { taskId, reason: 'r' } };
    case 'UnblockTask':
      return { type: 'UnblockTask', data: { taskId } };
    case 'WaiveTask':
      return { type: 'WaiveTask', data: { taskId, reason: 'r' } };
    case 'ReopenTask':
      return { type: 'ReopenTask', data: { taskId, reason: 'r' } };
    case 'UpdateTask':
      return { type: 'UpdateTask', data: { taskId, ...(i.flag ? { title: 'Renamed' } : { dueDate: '2030-01-20' }) } };
    case 'CommentOnTask':
      return { type: 'CommentOnTask', data: { taskId, text: i.flag ? 'Looks good' : ' ' } };
    case 'EditLaunchDetails':
      return { type: 'EditLaunchDetails', data: i.flag ? { name: 'Renamed launch' } : { product: 'Prop' } };
    case 'RescheduleLaunch':
      return { type: 'RescheduleLaunch', data: { targetDate: i.flag ? '2030-03-01' : '2030-02-15', reason: 'r' } };
    case 'DecideGoNoGo':
      return { type: 'DecideGoNoGo', data: { decision: i.flag ? 'go' : 'no-go' } };
    case 'MarkLaunched':
      return { type: 'MarkLaunched', data: {} };
    case 'CancelLaunch':
      return { type: 'CancelLaunch', data: { reason: 'r' } };
    case 'CastVote':
      return { type: 'CastVote', data: { vote: i.flag ? 'go' : 'no-go', department: i.department } };
  }
}

interface Step {
  actor: Actor;
  command: LaunchCommand;
  before: LaunchState;
  outcome: { events: LaunchEvent[] } | { error: unknown };
  after: LaunchState;
}

/** Runs the intents one after the other, folding the decided events, and records every step. */
function run(intents: Intent[]): Step[] {
  let state: LaunchState = initialState;
  let ids = 0;
  const steps: Step[] = [];
  for (const i of intents) {
    const actor = ACTORS[i.actor];
    const command = aim(i, state);
    const before = state;
    let outcome: Step['outcome'];
    try {
      const events = decide(command, state, { actor, now: NOW, newId: () => `t-${++ids}`, templates: BUILT_IN_TEMPLATES });
      for (const event of events) state = evolve(state, event, { occurredAt: NOW.toISOString(), actor });
      outcome = { events };
    } catch (error) {
      outcome = { error };
    }
    steps.push({ actor, command, before, outcome, after: state });
  }
  return steps;
}

const sequences = fc.array(intent, { minLength: 1, maxLength: 60 });
/** Sequences that start with a creation by a manager, so most commands meet an existing launch. */
const launchedSequences = fc
  .tuple(fc.constantFrom(1, 2, 3), sequences)
  .map(([tier, rest]) => [{ type: 'CreateLaunch' as const, actor: 1, task: 0, flag: true, tier, department: DEPARTMENT_KEYS[0] }, ...rest]);
const PARAMETERS = { numRuns: 200 };

const events = (s: Step) => ('events' in s.outcome ? s.outcome.events : []);
const launchOf = (state: LaunchState): Launch | undefined => (state.exists ? state : undefined);
const taskIdsOf = (e: LaunchEvent) => ('taskId' in (e.data as object) ? [(e.data as { taskId: string }).taskId] : []);

describe('decider invariants over random command sequences', () => {
  it('refuses only with typed domain errors, and a refusal changes nothing', () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        for (const step of run(intents)) {
          if ('error' in step.outcome) {
            expect(step.outcome.error).toBeInstanceOf(DomainError);
            expect(step.after).toBe(step.before);
          }
        }
      }),
      PARAMETERS,
    );
  });

  it('evolve accepts every event decide produced, and folding the whole history from scratch gives the same state', () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        const steps = run(intents);
        const replayed = steps
          .flatMap((s) => events(s).map((event) => ({ event, actor: s.actor })))
          .reduce<LaunchState>((state, { event, actor }) => evolve(state, event, { occurredAt: NOW.toISOString(), actor }), initialState);
        expect(replayed).toEqual(steps[steps.length - 1].after);
      }),
      PARAMETERS,
    );
  });

  it('go is decided only when every required task is completed or waived', () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        for (const step of run(intents)) {
          if (!events(step).some((e) => e.type === 'GoDecided')) continue;
          const launch = launchOf(step.before)!;
          expect(launch.tasks.filter((t) => t.required && !isDone(t))).toEqual([]);
        }
      }),
      PARAMETERS,
    );
  });

  it('a cancelled or launched launch accepts nothing more but comments', () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        for (const step of run(intents)) {
          const status = launchOf(step.before)?.status;
          if (status === 'cancelled' || status === 'launched') expect(events(step).filter((e) => e.type !== 'TaskCommented')).toEqual([]);
        }
      }),
      PARAMETERS,
    );
  });

  it("a department never changes another department's task, and an auditor never changes anything", () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        for (const step of run(intents)) {
          if (step.actor.role === 'auditor') expect(events(step)).toEqual([]);
          if (step.actor.role !== 'department') continue;
          const before = launchOf(step.before);
          for (const event of events(step)) {
            for (const taskId of taskIdsOf(event)) {
              if (event.type === 'SignOffInvalidated') continue; // a consequence, not an act on that task
              if (event.type === 'TaskCommented') continue; // discussion, open to every department; it changes no task
              expect(before?.tasks.find((t) => t.taskId === taskId)?.department).toBe(step.actor.department);
            }
          }
        }
      }),
      PARAMETERS,
    );
  });

  it('tasks are never lost or duplicated, completions record the event named for the kind, and readiness stays within 0–100 %', () => {
    fc.assert(
      fc.property(launchedSequences, (intents) => {
        for (const step of run(intents)) {
          const before = launchOf(step.before);
          const after = launchOf(step.after);
          if (!after) continue;
          const ids = after.tasks.map((t) => t.taskId);
          expect(new Set(ids).size).toBe(ids.length);
          for (const task of before?.tasks ?? []) expect(ids).toContain(task.taskId);
          if (step.command.type === 'CompleteTask' && 'events' in step.outcome) {
            const task = before!.tasks.find((t) => t.taskId === (step.command.data as { taskId: string }).taskId)!;
            expect(events(step).map((e) => e.type)).toEqual([COMPLETION_EVENTS[task.kind]]);
          }
        }
        const last = launchOf(run(intents).at(-1)!.after);
        if (last) {
          const { percent } = computeReadiness(last.tasks, NOW).overall;
          expect(percent >= 0 && percent <= 100).toBe(true);
        }
      }),
      PARAMETERS,
    );
  });

  it('the random sequences do reach go, launch and cancellation (the properties above are not vacuous)', () => {
    const reached = new Set(
      fc.sample(launchedSequences, { numRuns: 400, seed: 42 }).flatMap((intents) => run(intents).flatMap((s) => events(s).map((e) => e.type))),
    );
    expect([...reached].sort()).toEqual(expect.arrayContaining(['GoDecided', 'LaunchCompleted', 'LaunchCancelled', 'TaskReopened', 'TaskBlocked', 'VoteCast']));
  });

  it('without a launch, every command but a creation is refused', () => {
    fc.assert(
      fc.property(sequences, (intents) => {
        for (const step of run(intents)) {
          if (!step.before.exists && step.command.type !== 'CreateLaunch') expect('error' in step.outcome).toBe(true);
        }
      }),
      PARAMETERS,
    );
  });
});
