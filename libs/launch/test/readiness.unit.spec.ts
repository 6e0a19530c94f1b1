import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { computeReadiness, readinessPercent } from '../src/readiness.js';
import type { LaunchEvent } from '../src/events.js';
import type { Launch, Task } from '../src/state.js';
import { fold } from './decider-specification.js';
import { launchCreated, messagingApproved, prScheduled, releaseApproved, salesTrained } from './launch-mother.js';

const launchAfter = (...events: LaunchEvent[]): Launch => {
  const state = fold([launchCreated(), ...events]);
  if (!state.exists) throw new Error('no launch');
  return state;
};
const on = (date: string) => new Date(`${date}T12:00:00Z`);

describe('computeReadiness', () => {
  it('lists only departments with tasks, counting required tasks only', () => {
    const readiness = computeReadiness(launchAfter().tasks, on('2026-11-21'));
    expect(readiness.departments.map((d) => d.department)).toEqual(['product-marketing', 'sales', 'marketing', 'engineering']);
    expect(readiness.departments.find((d) => d.department === 'marketing')).toEqual({
      department: 'marketing',
      total: 1,
      completed: 0,
      waived: 0,
      blocked: 0,
      open: 1,
      overdue: 0,
      percent: 0,
      status: 'on-track',
    });
    expect(readiness.overall).toEqual({ percent: 0, status: 'on-track' });
  });

  it('counts completed and waived towards percent = round(100 × (completed + waived) / total)', () => {
    const readiness = computeReadiness(
      launchAfter(messagingApproved, { type: 'TaskWaived', data: { taskId: 't-sales', reason: 'x' } }).tasks,
      on('2026-11-21'),
    );
    expect(readiness.departments.find((d) => d.department === 'product-marketing')).toMatchObject({ completed: 1, percent: 100, status: 'ready' });
    expect(readiness.departments.find((d) => d.department === 'sales')).toMatchObject({ waived: 1, percent: 100, status: 'ready' });
    expect(readiness.overall).toEqual({ percent: 50, status: 'on-track' });
  });

  it('rounds percent to the nearest whole number', () => {
    const extra = (id: string): LaunchEvent => ({
      type: 'TaskAdded',
      data: { taskId: id, key: id, title: id, department: 'engineering', kind: 'generic', required: true, dueDate: '2026-12-12' },
    });
    const readiness = computeReadiness(launchAfter(extra('a'), extra('b'), releaseApproved).tasks, on('2026-11-21'));
    expect(readiness.departments.find((d) => d.department === 'engineering')).toMatchObject({ total: 3, completed: 1, percent: 33 });
    const two = computeReadiness(
      launchAfter(extra('a'), extra('b'), releaseApproved, { type: 'TaskCompleted', data: { taskId: 'a' } }).tasks,
      on('2026-11-21'),
    );
    expect(two.departments.find((d) => d.department === 'engineering')).toMatchObject({ percent: 67 });
  });

  it('is blocked when any required task is blocked, before at-risk', () => {
    const readiness = computeReadiness(launchAfter({ type: 'TaskBlocked', data: { taskId: 't-rel', reason: 'ci' } }).tasks, on('2026-12-11'));
    expect(readiness.departments.find((d) => d.department === 'engineering')).toMatchObject({ blocked: 1, open: 0, status: 'blocked' });
    expect(readiness.overall.status).toBe('blocked');
  });

  it('is at-risk when an open required task is due within 2 days or overdue, and counts the overdue', () => {
    // t-pr and t-sales are due 2026-12-10, t-msg 2026-12-01
    expect(computeReadiness(launchAfter().tasks, on('2026-12-07')).departments.find((d) => d.department === 'sales')?.status).toBe('on-track');
    expect(computeReadiness(launchAfter().tasks, on('2026-12-08')).departments.find((d) => d.department === 'sales')?.status).toBe('at-risk');
    const late = computeReadiness(launchAfter().tasks, on('2026-12-11'));
    expect(late.departments.find((d) => d.department === 'sales')).toMatchObject({ overdue: 1, status: 'at-risk' });
    expect(late.departments.find((d) => d.department === 'product-marketing')).toMatchObject({ overdue: 1 });
    expect(late.overall.status).toBe('at-risk');
  });

  it('does not count an optional overdue task against its department', () => {
    const readiness = computeReadiness(launchAfter(prScheduled).tasks, on('2026-12-20'));
    expect(readiness.departments.find((d) => d.department === 'marketing')).toMatchObject({ total: 1, overdue: 0, status: 'ready' });
  });

  it('is ready everywhere once every required task is signed off', () => {
    const readiness = computeReadiness(launchAfter(messagingApproved, salesTrained, prScheduled, releaseApproved).tasks, on('2026-12-20'));
    expect(readiness.overall).toEqual({ percent: 100, status: 'ready' });
    expect(readiness.departments.every((d) => d.status === 'ready')).toBe(true);
  });
});

describe('readinessPercent', () => {
  const anyTask = fc.record({
    required: fc.boolean(),
    status: fc.constantFrom('open', 'completed', 'waived', 'blocked', 'stale' as const),
    department: fc.constantFrom('sales', 'marketing', 'engineering' as const),
    dueDate: fc.constantFrom('2026-11-01', '2026-12-01', '2027-01-01'),
  });

  it('is the overall percent computeReadiness gives on any day, for any tasks', () => {
    fc.assert(
      fc.property(fc.array(anyTask, { maxLength: 40 }), fc.constantFrom('2026-11-15', '2026-12-15', '2027-02-01'), (specs, day) => {
        const tasks = specs.map((spec, i) => ({ ...launchAfter().tasks[0], ...spec, taskId: `t${i}` }) as Task);
        expect(readinessPercent(tasks)).toBe(computeReadiness(tasks, on(day)).overall.percent);
      }),
    );
  });

  it('counts waived tasks as signed off and is 100 with no required task', () => {
    const [first, second] = launchAfter().tasks;
    expect(
      readinessPercent([
        { ...first, required: true, status: 'waived' },
        { ...second, required: true, status: 'open' },
      ]),
    ).toBe(50);
    expect(readinessPercent([{ ...first, required: false, status: 'open' }])).toBe(100);
  });
});
