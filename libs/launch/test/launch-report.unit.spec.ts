import { describe, expect, it } from '@jest/globals';
import { assertReportWindow, departmentsReport } from '../src/departments-report.js';
import { ValidationFailed } from '../src/errors.js';
import type { LaunchEvent, TaskSpec } from '../src/events.js';
import { launchReport, type LaunchReport, type ReportedEvent } from '../src/launch-report.js';

const actor = { id: 'p-lm', name: 'Lee Manager' };
const at = (occurredAt: string, event: LaunchEvent): ReportedEvent => ({ event, context: { occurredAt, actor } });
const spec = (taskId: string, department: TaskSpec['department'], dueDate: string, extra: Partial<TaskSpec> = {}): TaskSpec => ({
  taskId,
  key: taskId,
  title: `Task ${taskId}`,
  department,
  kind: 'generic',
  required: true,
  dueDate,
  ...extra,
});

/**
 * The script. Created 2030-01-01, target 2030-02-01.
 *   A product-marketing due 01-10   B sales due 01-20 (depends on A)   C marketing due 01-15
 *   D marketing, optional, due 01-25   E engineering due 01-20   G engineering due 01-20   F legal due 01-18
 */
function script(launchId = 'L1', launchedOn = '2030-02-05'): ReportedEvent[] {
  return [
    at('2030-01-01T09:00:00Z', {
      type: 'LaunchCreated',
      data: {
        launchId,
        name: `Launch ${launchId}`,
        product: 'P',
        tier: 2,
        targetDate: '2030-02-01',
        templateVersion: 't',
        tasks: [
          spec('A', 'product-marketing', '2030-01-10'),
          spec('B', 'sales', '2030-01-20', { dependsOn: ['A'] }),
          spec('C', 'marketing', '2030-01-15'),
          spec('D', 'marketing', '2030-01-25', { required: false }),
          spec('E', 'engineering', '2030-01-20'),
          spec('G', 'engineering', '2030-01-20'),
          spec('F', 'legal', '2030-01-18'),
        ],
      },
    }),
    at('2030-01-05T10:00:00Z', { type: 'TaskCompleted', data: { taskId: 'A' } }), // A on time (first completion)
    at('2030-01-08T10:00:00Z', { type: 'TaskRescheduled', data: { taskId: 'C', dueDate: '2030-01-12', previousDueDate: '2030-01-15' } }),
    at('2030-01-13T23:30:00Z', { type: 'TaskCompleted', data: { taskId: 'C' } }), // C: due 01-12 then, 1 day late
    at('2030-01-14T10:00:00Z', { type: 'TaskCompleted', data: { taskId: 'B' } }),
    at('2030-01-16T10:00:00Z', { type: 'TaskReopened', data: { taskId: 'A', reason: 'wrong positioning' } }), // A invalidated
    at('2030-01-16T10:00:00Z', { type: 'SignOffInvalidated', data: { taskId: 'B', invalidatedBy: 'A', reason: 'A was reopened' } }), // B invalidated
    // +4 days for what is not signed off: A 01-14, B 01-24, D 01-29, E 01-24, G 01-24, F 01-22; C (completed) stays 01-12
    at('2030-01-17T10:00:00Z', { type: 'LaunchRescheduled', data: { targetDate: '2030-02-05', previousTargetDate: '2030-02-01', reason: 'slip' } }),
    at('2030-01-18T10:00:00Z', { type: 'TaskCompleted', data: { taskId: 'A' } }), // A: due 01-14, 4 days late
    at('2030-01-19T10:00:00Z', { type: 'ReleaseApproved', data: { taskId: 'E', details: { version: '1' } } }), // E: due 01-24, on time
    at('2030-01-21T10:00:00Z', { type: 'TaskWaived', data: { taskId: 'F', reason: 'not needed' } }),
    at('2030-01-22T10:00:00Z', { type: 'NoGoDecided', data: { openRequiredTasks: ['B', 'G'] } }),
    at('2030-01-24T23:59:59Z', { type: 'TaskCompleted', data: { taskId: 'G' } }), // G: on its due date, on time
    at('2030-01-25T10:00:00Z', { type: 'TaskRescheduled', data: { taskId: 'E', dueDate: '2030-01-18', previousDueDate: '2030-01-24' } }), // after E's sign-off: no effect
    at('2030-01-26T10:00:00Z', { type: 'TaskCompleted', data: { taskId: 'B' } }), // B: due 01-24, 2 days late
    at('2030-01-27T08:00:00Z', { type: 'GoDecided', data: {} }),
    at(`${launchedOn}T12:00:00Z`, { type: 'LaunchCompleted', data: {} }),
  ];
}

describe('launchReport', () => {
  it('equals the hand computation of a scripted launch', () => {
    const report = launchReport(script())!;
    expect(report).toMatchObject({
      launchId: 'L1',
      status: 'launched',
      targetDate: '2030-02-05',
      createdAt: '2030-01-01T09:00:00Z',
      goDecidedAt: '2030-01-27T08:00:00Z',
      launchedAt: '2030-02-05T12:00:00Z',
      daysToGo: 26,
      daysToLaunch: 35,
    });
    const none = { averageDaysLate: null };
    expect(report.departments).toEqual([
      {
        department: 'product-marketing',
        tasks: 1,
        completed: 1,
        onTime: 0,
        late: 1,
        daysLate: 4,
        averageDaysLate: 4,
        waived: 0,
        notDone: 0,
        signOffsInvalidated: 1,
        onTimeRate: 0,
      },
      {
        department: 'marketing',
        tasks: 2,
        completed: 1,
        onTime: 0,
        late: 1,
        daysLate: 1,
        averageDaysLate: 1,
        waived: 0,
        notDone: 1,
        signOffsInvalidated: 0,
        onTimeRate: 0,
      },
      {
        department: 'sales',
        tasks: 1,
        completed: 1,
        onTime: 0,
        late: 1,
        daysLate: 2,
        averageDaysLate: 2,
        waived: 0,
        notDone: 0,
        signOffsInvalidated: 1,
        onTimeRate: 0,
      },
      {
        department: 'engineering',
        tasks: 2,
        completed: 2,
        onTime: 2,
        late: 0,
        daysLate: 0,
        ...none,
        waived: 0,
        notDone: 0,
        signOffsInvalidated: 0,
        onTimeRate: 1,
      },
      {
        department: 'legal',
        tasks: 1,
        completed: 0,
        onTime: 0,
        late: 0,
        daysLate: 0,
        ...none,
        waived: 1,
        notDone: 0,
        signOffsInvalidated: 0,
        onTimeRate: null,
      },
    ]);
    const byId = Object.fromEntries(report.tasks.map((task) => [task.taskId, task]));
    expect(byId.A).toMatchObject({ completedAt: '2030-01-18T10:00:00Z', dueDateAtCompletion: '2030-01-14', daysLate: 4, onTime: false, completions: 2 });
    expect(byId.C).toMatchObject({ dueDate: '2030-01-12', dueDateAtCompletion: '2030-01-12', daysLate: 1, onTime: false, completions: 1 });
    expect(byId.E).toMatchObject({ dueDate: '2030-01-18', dueDateAtCompletion: '2030-01-24', daysLate: 0, onTime: true });
    expect(byId.G).toMatchObject({ dueDateAtCompletion: '2030-01-24', daysLate: 0, onTime: true });
    expect(byId.D).toMatchObject({ status: 'open', dueDate: '2030-01-29', completedAt: null, daysLate: null, onTime: null });
    expect(byId.F).toMatchObject({ status: 'waived', daysLate: null, onTime: null });
  });

  it('counts a sign-off left stale as invalidated and not done, and a reversed go as no go', () => {
    const events = script().filter(
      (e) => !['2030-01-26T10:00:00Z', '2030-01-27T08:00:00Z'].includes(e.context.occurredAt) && e.event.type !== 'LaunchCompleted',
    );
    events.push(
      at('2030-01-28T08:00:00Z', { type: 'GoDecided', data: {} }),
      at('2030-01-29T08:00:00Z', { type: 'NoGoDecided', data: { openRequiredTasks: [] } }),
    );
    const report = launchReport(events)!;
    expect(report).toMatchObject({ status: 'no-go', goDecidedAt: null, daysToGo: null, launchedAt: null, daysToLaunch: null });
    expect(report.departments.find((d) => d.department === 'sales')).toMatchObject({
      tasks: 1,
      completed: 0,
      notDone: 1,
      signOffsInvalidated: 1,
      onTimeRate: null,
    });
  });

  it('is null for events that create no launch, and takes tasks added later', () => {
    expect(launchReport([])).toBeNull();
    const events = script();
    events.splice(1, 0, at('2030-01-02T09:00:00Z', { type: 'TaskAdded', data: spec('H', 'finance', '2030-01-03') }));
    events.splice(2, 0, at('2030-01-04T09:00:00Z', { type: 'TaskCompleted', data: { taskId: 'H' } }));
    expect(launchReport(events)!.departments.find((d) => d.department === 'finance')).toMatchObject({ tasks: 1, late: 1, daysLate: 1 });
  });
});

describe('departmentsReport', () => {
  const reports = (): LaunchReport[] => [
    launchReport(script('L1', '2030-02-05'))!,
    launchReport(script('L2', '2030-02-28'))!,
    launchReport(script('L3', '2030-03-01'))!, // outside the window
    launchReport(script('L4').filter((e) => e.event.type !== 'LaunchCompleted'))!, // never launched
  ];

  it('adds up the launches that launched in the window, both ends included', () => {
    const report = departmentsReport({ from: '2030-02-05', to: '2030-02-28' }, reports());
    expect(report.launches.map((l) => l.launchId)).toEqual(['L1', 'L2']);
    expect(report.departments.find((d) => d.department === 'engineering')).toEqual({
      department: 'engineering',
      launches: 2,
      tasks: 4,
      completed: 4,
      onTime: 4,
      late: 0,
      daysLate: 0,
      averageDaysLate: null,
      waived: 0,
      notDone: 0,
      signOffsInvalidated: 0,
      onTimeRate: 1,
    });
    expect(report.departments.find((d) => d.department === 'marketing')).toMatchObject({
      launches: 2,
      tasks: 4,
      completed: 2,
      late: 2,
      daysLate: 2,
      notDone: 2,
      onTimeRate: 0,
    });
    expect(departmentsReport({ from: '2030-03-02', to: '2030-03-31' }, reports())).toEqual({
      from: '2030-03-02',
      to: '2030-03-31',
      launches: [],
      departments: [],
    });
  });

  it('refuses a window that is not two dates in order, at most 366 days', () => {
    expect(assertReportWindow({ from: '2030-01-01', to: '2030-12-31' })).toEqual({ from: '2030-01-01', to: '2030-12-31' });
    expect(assertReportWindow({ from: '2028-01-01', to: '2028-12-31' })).toEqual({ from: '2028-01-01', to: '2028-12-31' }); // 366 days
    for (const bad of [
      {},
      { from: '2030-01-01' },
      { from: '2030-02-30', to: '2030-03-01' },
      { from: '2030-03-01', to: '2030-02-01' },
      { from: '2030-01-01', to: '2031-01-02' },
    ]) {
      expect(() => assertReportWindow(bad)).toThrow(ValidationFailed);
    }
  });
});
