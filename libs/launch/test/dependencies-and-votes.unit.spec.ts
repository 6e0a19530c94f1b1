import { describe, expect, it } from '@jest/globals';
import { Forbidden, StateConflict, ValidationFailed } from '../src/errors.js';
import type { LaunchEvent, TaskSpec } from '../src/events.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';
import { actors, fold, given } from './decider-specification.js';
import { LAUNCH_ID, launchCreated, messagingApproved, salesTrained, tasks } from './launch-mother.js';

const withDependencies = (overrides: Partial<Extract<LaunchEvent, { type: 'LaunchCreated' }>['data']> = {}): LaunchEvent =>
  launchCreated({
    tasks: [tasks.messaging, { ...tasks.sales, dependsOn: ['t-msg'] }, { ...tasks.pr, dependsOn: ['t-sales'] }, tasks.release, tasks.caseStudy] as TaskSpec[],
    ...overrides,
  });
const prScheduled: LaunchEvent = { type: 'PrScheduled', data: { taskId: 't-pr', details: { announceAt: '2026-12-15T09:00:00Z', outlets: ['Wired'] } } };
const completeSales = { type: 'CompleteTask', data: { taskId: 't-sales', details: { sessionDate: '2026-12-01', repsTrained: 40, repsTotal: 42 } } } as const;

describe('task dependencies', () => {
  it('refuses completing a task before its dependencies are signed off', () => {
    given([withDependencies()])
      .when(completeSales, actors.sales)
      .thenFails(StateConflict, /depends on messaging \(open\)/);
  });

  it('accepts it once they are completed or waived', () => {
    given([withDependencies(), messagingApproved])
      .when(completeSales, actors.sales)
      .then([{ type: 'SalesTrained', data: completeSales.data }]);
    given([withDependencies(), { type: 'TaskWaived', data: { taskId: 't-msg', reason: 'n/a' } }])
      .when(completeSales, actors.sales)
      .then([{ type: 'SalesTrained', data: completeSales.data }]);
  });

  it('reopening a task makes the completed tasks depending on it stale, transitively', () => {
    given([withDependencies(), messagingApproved, salesTrained, prScheduled])
      .when({ type: 'ReopenTask', data: { taskId: 't-msg', reason: 'new positioning' } })
      .then([
        { type: 'TaskReopened', data: { taskId: 't-msg', reason: 'new positioning' } },
        { type: 'SignOffInvalidated', data: { taskId: 't-sales', invalidatedBy: 't-msg', reason: 'messaging was reopened: new positioning' } },
        { type: 'SignOffInvalidated', data: { taskId: 't-pr', invalidatedBy: 't-msg', reason: 'messaging was reopened: new positioning' } },
      ]);
  });

  it('a stale sign-off counts as not done: go is refused, and it must be re-confirmed after its dependency', () => {
    const reopened: LaunchEvent[] = [
      withDependencies(),
      messagingApproved,
      salesTrained,
      { type: 'TaskReopened', data: { taskId: 't-msg', reason: 'x' } },
      { type: 'SignOffInvalidated', data: { taskId: 't-sales', invalidatedBy: 't-msg', reason: 'messaging was reopened: x' } },
    ];
    const state = fold(reopened);
    expect(state.exists && state.tasks.find((t) => t.taskId === 't-sales')).toMatchObject({
      status: 'stale',
      invalidatedReason: 'messaging was reopened: x',
      details: { repsTotal: 42 },
    });
    given([...reopened, prScheduled, { type: 'ReleaseApproved', data: { taskId: 't-rel', details: { version: '1' } } }, messagingApproved])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .thenFails(StateConflict, /sales-training \(stale\)/);
    given(reopened)
      .when(completeSales, actors.sales)
      .thenFails(StateConflict, /depends on messaging/);
    given([...reopened, messagingApproved])
      .when(completeSales, actors.sales)
      .then([{ type: 'SalesTrained', data: completeSales.data }]);
  });

  it('adds a task depending on existing ones; unknown ids are refused', () => {
    given([withDependencies()])
      .when({ type: 'AddTask', data: { title: 'Demo', department: 'sales', dependsOn: ['t-msg', 't-msg'] } })
      .then([
        {
          type: 'TaskAdded',
          data: {
            taskId: 'new-task-1',
            key: 'demo',
            title: 'Demo',
            department: 'sales',
            kind: 'generic',
            required: true,
            dueDate: '2026-12-15',
            dependsOn: ['t-msg'],
          },
        },
      ]);
    given([withDependencies()])
      .when({ type: 'AddTask', data: { title: 'Demo', department: 'sales', dependsOn: ['nope'] } })
      .thenFails(ValidationFailed);
  });

  it('the built-in tier 1 and 2 templates make sales training depend on messaging', () => {
    for (const tier of [1, 2] as const) {
      const template = BUILT_IN_TEMPLATES.find((t) => t.tier === tier)!;
      expect(template.tasks.find((t) => t.kind === 'sales-training')?.dependsOn).toEqual(['messaging']);
    }
    given([])
      .when({ type: 'CreateLaunch', data: { launchId: LAUNCH_ID, name: 'A', product: 'A', targetDate: '2030-01-01', tier: 2 } })
      .then([
        expect.objectContaining({
          data: expect.objectContaining({
            tasks: expect.arrayContaining([
              expect.objectContaining({ key: 'sales-training', dependsOn: ['new-task-1'] }),
              expect.objectContaining({ key: 'messaging', taskId: 'new-task-1' }),
            ]),
          }),
        }) as never,
      ]);
  });
});

describe('go/no-go votes', () => {
  it('a department with required tasks votes for itself; the latest vote counts', () => {
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go', note: 'ready' } }, actors.sales)
      .then([{ type: 'VoteCast', data: { department: 'sales', vote: 'go', note: 'ready' } }]);
    const state = fold(
      [launchCreated(), { type: 'VoteCast', data: { department: 'sales', vote: 'no-go' } }, { type: 'VoteCast', data: { department: 'sales', vote: 'go' } }],
      actors.sales,
    );
    expect(state.exists && state.votes).toEqual([expect.objectContaining({ department: 'sales', vote: 'go', votedBy: actors.sales.id })]);
  });

  it('refuses a department without required tasks, voting for another department, managers and auditors', () => {
    const legal = { id: 'p-legal', name: 'Lou', role: 'department', department: 'legal' } as const;
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go' } }, legal)
      .thenFails(Forbidden, /no required task/);
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go', department: 'engineering' } }, actors.sales)
      .thenFails(Forbidden);
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go' } }, actors.manager)
      .thenFails(Forbidden);
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go' } }, actors.auditor)
      .thenFails(Forbidden);
  });

  it('lets an admin vote on behalf of a named department', () => {
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'no-go', department: 'engineering' } }, actors.admin)
      .then([{ type: 'VoteCast', data: { department: 'engineering', vote: 'no-go' } }]);
    given([launchCreated()])
      .when({ type: 'CastVote', data: { vote: 'go' } }, actors.admin)
      .thenFails(ValidationFailed);
  });

  it('under the requireGoVotes policy, go needs a go vote from every department with required tasks', () => {
    const done: LaunchEvent[] = [
      launchCreated({ policy: { requireGoVotes: true } }),
      messagingApproved,
      salesTrained,
      prScheduled,
      { type: 'ReleaseApproved', data: { taskId: 't-rel', details: { version: '1' } } },
    ];
    const vote = (department: string, v = 'go'): LaunchEvent => ({ type: 'VoteCast', data: { department, vote: v } }) as LaunchEvent;
    given([...done, vote('product-marketing'), vote('sales'), vote('marketing', 'no-go')])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .thenFails(StateConflict, /go vote from marketing, engineering/);
    given([...done, vote('product-marketing'), vote('sales'), vote('marketing'), vote('engineering')])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .then([{ type: 'GoDecided', data: {} }]);
  });

  it('without the policy, votes are advisory', () => {
    given([launchCreated(), messagingApproved, salesTrained, prScheduled, { type: 'ReleaseApproved', data: { taskId: 't-rel', details: { version: '1' } } }])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .then([{ type: 'GoDecided', data: {} }]);
  });

  it('records who decided, when, with what note', () => {
    const state = fold([launchCreated(), { type: 'NoGoDecided', data: { note: 'wait', openRequiredTasks: [] } }]);
    expect(state.exists && state.decision).toMatchObject({ decision: 'no-go', note: 'wait', decidedBy: actors.manager.id });
  });
});
