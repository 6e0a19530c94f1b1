import { describe, expect, it } from '@jest/globals';
import { decide } from '../src/decide.js';
import { ValidationFailed } from '../src/errors.js';
import type { LaunchCreated } from '../src/events.js';
import { overdueTaskWarnings } from '../src/schedule-warnings.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';
import { actors, fold, given, sequentialIds } from './decider-specification.js';
import { LAUNCH_ID, launchCreated, messagingApproved } from './launch-mother.js';

const create = (targetDate: string, backfill?: boolean, now = new Date('2026-11-21T10:00:00Z')) =>
  decide(
    {
      type: 'CreateLaunch',
      data: { launchId: LAUNCH_ID, name: 'Aurora GA', product: 'Aurora', targetDate, tier: 3, ...(backfill !== undefined && { backfill }) },
    },
    { exists: false },
    { actor: actors.manager, now, newId: sequentialIds(), templates: BUILT_IN_TEMPLATES },
  );

describe('a target date in the past', () => {
  it('is refused on creation unless the command says backfill, judged by the clock in the context', () => {
    expect(() => create('2026-11-20')).toThrow(ValidationFailed);
    let refusal: unknown;
    try {
      create('2026-11-20', false);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ValidationFailed);
    expect((refusal as ValidationFailed).errors).toEqual([{ field: 'targetDate', message: expect.stringContaining('backfill') }]);
    const [created] = create('2026-11-20', true) as [LaunchCreated];
    expect(created.data.targetDate).toBe('2026-11-20');
    // backfill is a permission, not part of the record
    expect(created.data).not.toHaveProperty('backfill');
    // today itself is not in the past; the same date is refused a day later
    expect(create('2026-11-21')).toHaveLength(1);
    expect(() => create('2026-11-21', undefined, new Date('2026-11-22T00:00:00Z'))).toThrow(ValidationFailed);
  });

  it('is refused on reschedule unless the command says backfill', () => {
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2026-11-20', reason: 'record the real date' } })
      .thenFails(ValidationFailed, /before today \(2026-11-21\)/);
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2026-11-20', reason: 'record the real date', backfill: true } })
      .then([{ type: 'LaunchRescheduled', data: { targetDate: '2026-11-20', previousTargetDate: '2026-12-15', reason: 'record the real date' } }]);
  });
});

describe('overdue task warnings', () => {
  it('name every task not signed off whose due date is before today, and no other', () => {
    const state = fold([launchCreated(), messagingApproved]);
    if (!state.exists) throw new Error('no launch');
    // due: messaging 12-01 (completed), sales 12-10, pr 12-10, release 12-12, case study 12-15
    expect(overdueTaskWarnings(state.tasks, '2026-12-10')).toEqual([]);
    expect(overdueTaskWarnings(state.tasks, '2026-12-11')).toEqual([
      { code: 'TaskAlreadyOverdue', taskId: 't-sales', title: 'Sales trained', department: 'sales', dueDate: '2026-12-10' },
      { code: 'TaskAlreadyOverdue', taskId: 't-pr', title: 'PR scheduled', department: 'marketing', dueDate: '2026-12-10' },
    ]);
    expect(overdueTaskWarnings(state.tasks, '2027-01-01').map((w) => w.taskId)).toEqual(['t-sales', 't-pr', 't-rel', 't-case']);
  });
});
