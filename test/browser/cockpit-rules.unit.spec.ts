import { describe, expect, it } from '@jest/globals';
import {
  BUILT_IN_TEMPLATES,
  computeReadiness,
  decide,
  evolve,
  initialState,
  type Actor,
  type LaunchCommand,
  type LaunchEvent,
  type LaunchState,
} from '#launch';
import { readinessTimeline, type LoggedEvent } from '../../apps/web/src/readiness-timeline.js';
import { canComplete, shownStatus, statusCauses, waitingOn } from '../../apps/web/src/task-rules.js';

const manager: Actor = { id: 'm-1', name: 'Lee', role: 'launch-manager' };
const NOW = new Date('2027-01-10T12:00:00Z');

/** Runs commands through the domain, as the API would, and keeps every event it records. */
function scripted(commands: Array<(state: Extract<LaunchState, { exists: true }>) => LaunchCommand>, first: LaunchCommand) {
  let next = 0;
  const context = { actor: manager, now: NOW, newId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`, templates: BUILT_IN_TEMPLATES };
  const events: LaunchEvent[] = [];
  let state: LaunchState = initialState;
  const apply = (command: LaunchCommand) => {
    for (const event of decide(command, state, context)) {
      state = evolve(state, event, { occurredAt: NOW.toISOString(), actor: manager });
      events.push(event);
    }
  };
  apply(first);
  for (const command of commands) apply(command(state as Extract<LaunchState, { exists: true }>));
  return { events, state: state as Extract<LaunchState, { exists: true }> };
}

const byKey = (state: { tasks: Array<{ key: string; taskId: string }> }, key: string) => state.tasks.find((t) => t.key === key)!.taskId;
const create: LaunchCommand = { type: 'CreateLaunch', data: { launchId: 'l-1', name: 'Beacon', product: 'Beacon', targetDate: '2027-02-01', tier: 1 } };

describe('the room folds readiness over time from the history exactly as the API computes it', () => {
  it('gives, after every event, the percent per department the domain gives for the same events', () => {
    const { events } = scripted(
      [
        (s) => ({ type: 'CompleteTask', data: { taskId: byKey(s, 'messaging'), details: { documentUrl: 'https://x.example/m', version: 1 } } }),
        (s) => ({ type: 'CompleteTask', data: { taskId: byKey(s, 'sales-training'), details: { sessionDate: '2027-01-05', repsTrained: 4, repsTotal: 5 } } }),
        (s) => ({ type: 'WaiveTask', data: { taskId: byKey(s, 'legal-review'), reason: 'not needed' } }),
        (s) => ({ type: 'AddTask', data: { title: 'Partner briefing', department: 'sales', dependsOn: [byKey(s, 'pricing')] } }),
        (s) => ({ type: 'BlockTask', data: { taskId: byKey(s, 'pricing'), reason: 'board review' } }),
        (s) => ({ type: 'ReopenTask', data: { taskId: byKey(s, 'messaging'), reason: 'new positioning' } }),
        (s) => ({ type: 'CompleteTask', data: { taskId: byKey(s, 'case-study') } }),
      ],
      create,
    );
    expect(events.map((e) => e.type)).toContain('SignOffInvalidated');
    const logged: LoggedEvent[] = events.map((event, revision) => ({
      revision,
      type: event.type,
      data: event.data as Record<string, unknown>,
      metadata: { occurredAt: NOW.toISOString() },
    }));
    const points = readinessTimeline(logged);
    expect(points).toHaveLength(events.length);
    let state: LaunchState = initialState;
    events.forEach((event, i) => {
      state = evolve(state, event, { occurredAt: NOW.toISOString(), actor: manager });
      const expected = Object.fromEntries(
        computeReadiness((state as Extract<LaunchState, { exists: true }>).tasks, NOW).departments.map((d) => [d.department, d.percent]),
      );
      expect(points[i]!.percent).toEqual(expected);
    });
  });
});

describe('the room says what a task waits on and why a department is at risk', () => {
  const { state } = scripted([(s) => ({ type: 'BlockTask', data: { taskId: byKey(s, 'messaging'), reason: 'legal hold on the claims' } })], create);
  const launch = state;
  const task = (key: string) => state.tasks.find((t) => t.key === key)!;

  it('names the blocked dependency a task waits on, and refuses to offer completing it', () => {
    const training = task('sales-training');
    const waiting = waitingOn(training, launch);
    expect(waiting.map((w) => [w.on.key, w.blockedBy?.key])).toEqual([['messaging', 'messaging']]);
    expect(canComplete(training, launch)).toBe(false);
    expect(canComplete(task('pricing'), launch)).toBe(true);
    expect(canComplete(task('messaging'), launch)).toBe(false); // blocked: unblock first
  });

  it('never shows "on track" for a department whose task waits on a blocked one, and names the cause', () => {
    const sales = computeReadiness(state.tasks, NOW).departments.find((d) => d.department === 'sales')!;
    expect(sales.status).toBe('on-track'); // the API's rule alone
    expect(shownStatus('sales', sales.status, launch)).toBe('at-risk');
    expect(statusCauses('sales', launch, '2027-01-10')).toEqual([
      'Sales team trained waits on Positioning and messaging approved, which is blocked: legal hold on the claims',
    ]);
    expect(statusCauses('product-marketing', launch, '2027-01-10')).toEqual(['Positioning and messaging approved is blocked: legal hold on the claims']);
  });

  it('names overdue and nearly due tasks as the causes of an at-risk department', () => {
    // Messaging is due 35 days before 2027-02-01: 2026-12-28; pricing 30 days before: 2027-01-02.
    expect(statusCauses('finance', launch, '2027-01-03')).toEqual(['Pricing approved is overdue (due 2027-01-02)']);
    expect(statusCauses('finance', launch, '2027-01-01')).toEqual(['Pricing approved is due by 2027-01-02']);
    expect(statusCauses('finance', launch, '2026-12-01')).toEqual([]);
  });

  it('lets a task be completed once its dependency is signed off, and follows chains through open tasks', () => {
    const unblocked = scripted(
      [
        (s) => ({ type: 'CompleteTask', data: { taskId: byKey(s, 'messaging'), details: { documentUrl: 'https://x.example/m', version: 1 } } }),
        (s) => ({ type: 'AddTask', data: { title: 'Sales kit', department: 'sales', dependsOn: [byKey(s, 'sales-training')] } }),
        (s) => ({ type: 'BlockTask', data: { taskId: byKey(s, 'pricing'), reason: 'x' } }),
      ],
      create,
    ).state;
    expect(
      canComplete(
        unblocked.tasks.find((t) => t.key === 'sales-training')!,
        unblocked,
      ),
    ).toBe(true);
    const kit = unblocked.tasks.find((t) => t.key === 'sales-kit')!;
    expect(waitingOn(kit, unblocked).map((w) => [w.on.key, w.blockedBy])).toEqual([['sales-training', undefined]]);
    expect(shownStatus('sales', 'on-track', unblocked)).toBe('on-track');
  });
});
