import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../src/actor.js';
import { decide } from '../src/decide.js';
import { Forbidden, NotFound, StateConflict, ValidationFailed } from '../src/errors.js';
import type { LaunchEvent } from '../src/events.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';
import { actors, given, NOW, sequentialIds } from './decider-specification.js';
import { allRequiredDone, LAUNCH_ID, launchCreated, messagingApproved, prScheduled, releaseApproved, salesTrained } from './launch-mother.js';

const cancelled: LaunchEvent = { type: 'LaunchCancelled', data: { reason: 'market shifted' } };
const goDecided: LaunchEvent = { type: 'GoDecided', data: {} };

describe('CreateLaunch', () => {
  const create = { type: 'CreateLaunch', data: { launchId: LAUNCH_ID, name: 'Aurora GA', product: 'Aurora', targetDate: '2026-12-15', tier: 3 } } as const;

  it('creates the launch with the tier template checklist, due dates counted back from the target date', () => {
    given([])
      .when(create)
      .then([
        {
          type: 'LaunchCreated',
          data: {
            launchId: LAUNCH_ID,
            name: 'Aurora GA',
            product: 'Aurora',
            tier: 3,
            targetDate: '2026-12-15',
            templateVersion: BUILT_IN_TEMPLATES[2].version,
            tasks: [
              {
                taskId: 'new-task-1',
                key: 'messaging',
                title: 'Release notes approved',
                department: 'product-marketing',
                kind: 'messaging',
                required: true,
                dueDate: '2026-12-10',
              },
              {
                taskId: 'new-task-2',
                key: 'release',
                title: 'Release signed off',
                department: 'engineering',
                kind: 'release',
                required: true,
                dueDate: '2026-12-13',
              },
              { taskId: 'new-task-3', key: 'docs', title: 'Documentation updated', department: 'support', kind: 'docs', required: true, dueDate: '2026-12-14' },
            ],
          },
        },
      ]);
  });

  it('reads the checklist from whatever templates it is given (templates are data)', () => {
    const templates = [
      {
        tier: 1 as const,
        name: 'custom',
        version: 'v9',
        tasks: [{ key: 'k', title: 'Only task', department: 'legal' as const, kind: 'generic' as const, required: false, dueDaysBeforeLaunch: 1 }],
      },
    ];
    given([])
      .when({ ...create, data: { ...create.data, tier: 1 } }, actors.manager, { templates })
      .then([
        {
          type: 'LaunchCreated',
          data: {
            launchId: LAUNCH_ID,
            name: 'Aurora GA',
            product: 'Aurora',
            tier: 1,
            targetDate: '2026-12-15',
            templateVersion: 'v9',
            tasks: [{ taskId: 'new-task-1', key: 'k', title: 'Only task', department: 'legal', kind: 'generic', required: false, dueDate: '2026-12-14' }],
          },
        },
      ]);
  });

  it('records the description when given', () => {
    const [event] = runCreate({ ...create.data, description: 'The big one' });
    expect(event.data).toMatchObject({ description: 'The big one' });
  });

  it('refuses a launch that already exists', () => {
    given([launchCreated()])
      .when(create)
      .thenFails(StateConflict, /already exists/);
  });

  it('refuses an impossible target date and an unknown tier', () => {
    given([])
      .when({ ...create, data: { ...create.data, targetDate: '2026-02-30' } })
      .thenFails(ValidationFailed);
    given([])
      .when({ ...create, data: { ...create.data, tier: 4 as never } })
      .thenFails(ValidationFailed);
  });

  it('is refused to departments and auditors, allowed to admins', () => {
    given([]).when(create, actors.sales).thenFails(Forbidden);
    given([]).when(create, actors.auditor).thenFails(Forbidden);
    expect(runCreate(create.data, actors.admin)).toHaveLength(1);
  });
});

describe('AddTask', () => {
  it('adds a task with defaults: generic, required, due on the target date, a key from its title', () => {
    given([launchCreated()])
      .when({ type: 'AddTask', data: { title: 'Partner briefing!', department: 'sales' } })
      .then([
        {
          type: 'TaskAdded',
          data: {
            taskId: 'new-task-1',
            key: 'partner-briefing',
            title: 'Partner briefing!',
            department: 'sales',
            kind: 'generic',
            required: true,
            dueDate: '2026-12-15',
          },
        },
      ]);
  });

  it('keeps keys unique', () => {
    given([launchCreated()])
      .when({ type: 'AddTask', data: { title: 'PR', department: 'marketing', kind: 'pr', required: false, dueDate: '2026-12-01' } })
      .then([
        {
          type: 'TaskAdded',
          data: { taskId: 'new-task-1', key: 'pr-2', title: 'PR', department: 'marketing', kind: 'pr', required: false, dueDate: '2026-12-01' },
        },
      ]);
  });

  it('refuses an unknown department, kind or a bad due date', () => {
    const error = given([launchCreated()])
      .when({ type: 'AddTask', data: { title: 'x', department: 'hr' as never, kind: 'party' as never, dueDate: '12/01/2026' } })
      .thenFails(ValidationFailed) as ValidationFailed;
    expect(error.errors.map((e) => e.field)).toEqual(['department', 'kind', 'dueDate']);
  });

  it('is for launch managers only, and needs an existing, live launch', () => {
    given([launchCreated()])
      .when({ type: 'AddTask', data: { title: 'x', department: 'sales' } }, actors.sales)
      .thenFails(Forbidden);
    given([])
      .when({ type: 'AddTask', data: { title: 'x', department: 'sales' } })
      .thenFails(NotFound);
    given([launchCreated(), cancelled])
      .when({ type: 'AddTask', data: { title: 'x', department: 'sales' } })
      .thenFails(StateConflict, /cancelled/);
  });
});

describe('CompleteTask', () => {
  it('records the typed event for the task kind, with note, evidence and details', () => {
    given([launchCreated()])
      .when(
        {
          type: 'CompleteTask',
          data: {
            taskId: 't-sales',
            note: 'done',
            evidenceUrl: 'https://lms.example.com/s/1',
            details: { sessionDate: '2026-12-01', repsTrained: 40, repsTotal: 42 },
          },
        },
        actors.sales,
      )
      .then([
        {
          type: 'SalesTrained',
          data: {
            taskId: 't-sales',
            note: 'done',
            evidenceUrl: 'https://lms.example.com/s/1',
            details: { sessionDate: '2026-12-01', repsTrained: 40, repsTotal: 42 },
          },
        },
      ]);
  });

  it.each([
    ['t-msg', { documentUrl: 'https://d.example.com/m', version: '1.2' }, 'MessagingApproved'],
    ['t-pr', { announceAt: '2026-12-15T09:00:00Z', outlets: ['Wired', 'The Verge'] }, 'PrScheduled'],
    ['t-rel', { version: '2.0.0' }, 'ReleaseApproved'],
  ])('task %s completes as %s', (taskId, details, type) => {
    given([launchCreated()])
      .when({ type: 'CompleteTask', data: { taskId, details } }, actors.manager)
      .then([{ type, data: { taskId, details } } as LaunchEvent]);
  });

  it('records TaskCompleted without details for a generic task', () => {
    given([launchCreated()])
      .when({ type: 'CompleteTask', data: { taskId: 't-case' } })
      .then([{ type: 'TaskCompleted', data: { taskId: 't-case' } }]);
  });

  it('completes the other kinds with their evidence', () => {
    const extra: LaunchEvent[] = [
      {
        type: 'TaskAdded',
        data: { taskId: 't-price', key: 'pricing', title: 'Pricing', department: 'finance', kind: 'pricing', required: true, dueDate: '2026-12-01' },
      },
      {
        type: 'TaskAdded',
        data: { taskId: 't-sup', key: 'support', title: 'Support', department: 'support', kind: 'support-training', required: true, dueDate: '2026-12-01' },
      },
      { type: 'TaskAdded', data: { taskId: 't-docs', key: 'docs', title: 'Docs', department: 'support', kind: 'docs', required: true, dueDate: '2026-12-01' } },
    ];
    const history = [launchCreated(), ...extra];
    given(history)
      .when({ type: 'CompleteTask', data: { taskId: 't-price', details: { currency: 'EUR', listPrice: 49.5 } } })
      .then([{ type: 'PricingApproved', data: { taskId: 't-price', details: { currency: 'EUR', listPrice: 49.5 } } }]);
    given(history)
      .when({ type: 'CompleteTask', data: { taskId: 't-sup', details: { sessionDate: '2026-12-02', agentsTrained: 12 } } })
      .then([{ type: 'SupportTrained', data: { taskId: 't-sup', details: { sessionDate: '2026-12-02', agentsTrained: 12 } } }]);
    given(history)
      .when({ type: 'CompleteTask', data: { taskId: 't-docs', details: { url: 'https://help.example.com/aurora' } } })
      .then([{ type: 'DocumentationPublished', data: { taskId: 't-docs', details: { url: 'https://help.example.com/aurora' } } }]);
  });

  it.each([
    ['missing details', 't-msg', undefined, 'details'],
    ['a bad document url', 't-msg', { documentUrl: 'javascript:alert(1)', version: '1' }, 'details.documentUrl'],
    ['more reps trained than total', 't-sales', { sessionDate: '2026-12-01', repsTrained: 43, repsTotal: 42 }, 'details.repsTrained'],
    ['no outlet', 't-pr', { announceAt: '2026-12-15T09:00:00Z', outlets: [] }, 'details.outlets'],
    ['an unknown detail field', 't-rel', { version: '1', extra: true }, 'details.extra'],
    ['details on a generic task', 't-case', { anything: 1 }, 'details.anything'],
  ])('refuses %s', (_, taskId, details, field) => {
    const error = given([launchCreated()])
      .when({ type: 'CompleteTask', data: { taskId, details: details as never } })
      .thenFails(ValidationFailed) as ValidationFailed;
    expect(error.errors.map((e) => e.field)).toContain(field);
  });

  it("refuses a department acting on another department's task", () => {
    given([launchCreated()])
      .when({ type: 'CompleteTask', data: { taskId: 't-rel', details: { version: '1' } } }, actors.sales)
      .thenFails(Forbidden, /engineering/);
  });

  it('refuses auditors, unknown tasks, and tasks already completed, waived or blocked', () => {
    const complete = { type: 'CompleteTask', data: { taskId: 't-rel', details: { version: '1' } } } as const;
    given([launchCreated()]).when(complete, actors.auditor).thenFails(Forbidden);
    given([launchCreated()])
      .when({ type: 'CompleteTask', data: { taskId: 'nope' } })
      .thenFails(NotFound);
    given([launchCreated(), releaseApproved])
      .when(complete, actors.engineering)
      .thenFails(StateConflict, /already completed/);
    given([launchCreated(), { type: 'TaskWaived', data: { taskId: 't-rel', reason: 'n/a' } }])
      .when(complete)
      .thenFails(StateConflict, /waived/);
    given([launchCreated(), { type: 'TaskBlocked', data: { taskId: 't-rel', reason: 'ci red' } }])
      .when(complete)
      .thenFails(StateConflict, /blocked/);
  });

  it('accepts nothing after cancel or launch', () => {
    given([launchCreated(), cancelled])
      .when({ type: 'CompleteTask', data: { taskId: 't-case' } })
      .thenFails(StateConflict, /cancelled/);
    given([...allRequiredDone, goDecided, { type: 'LaunchCompleted', data: {} }])
      .when({ type: 'CompleteTask', data: { taskId: 't-case' } })
      .thenFails(StateConflict, /launched/);
  });
});

describe('BlockTask / UnblockTask', () => {
  it('blocks an open task with its reason and unblocks it', () => {
    given([launchCreated()])
      .when({ type: 'BlockTask', data: { taskId: 't-sales', reason: 'no trainer' } }, actors.sales)
      .then([{ type: 'TaskBlocked', data: { taskId: 't-sales', reason: 'no trainer' } }]);
    given([launchCreated(), { type: 'TaskBlocked', data: { taskId: 't-sales', reason: 'x' } }])
      .when({ type: 'UnblockTask', data: { taskId: 't-sales', note: 'found one' } }, actors.sales)
      .then([{ type: 'TaskUnblocked', data: { taskId: 't-sales', note: 'found one' } }]);
  });

  it('refuses blocking twice, blocking a done task, unblocking an open one, and other departments', () => {
    const blocked: LaunchEvent = { type: 'TaskBlocked', data: { taskId: 't-sales', reason: 'x' } };
    given([launchCreated(), blocked])
      .when({ type: 'BlockTask', data: { taskId: 't-sales', reason: 'y' } })
      .thenFails(StateConflict, /already blocked/);
    given([launchCreated(), salesTrained])
      .when({ type: 'BlockTask', data: { taskId: 't-sales', reason: 'y' } })
      .thenFails(StateConflict, /reopen/);
    given([launchCreated()])
      .when({ type: 'UnblockTask', data: { taskId: 't-sales' } })
      .thenFails(StateConflict, /not blocked/);
    given([launchCreated()])
      .when({ type: 'BlockTask', data: { taskId: 't-sales', reason: 'y' } }, actors.marketing)
      .thenFails(Forbidden);
    given([launchCreated(), blocked])
      .when({ type: 'UnblockTask', data: { taskId: 't-sales' } }, actors.marketing)
      .thenFails(Forbidden);
  });
});

describe('WaiveTask / ReopenTask', () => {
  it('waives an open or blocked task', () => {
    given([launchCreated()])
      .when({ type: 'WaiveTask', data: { taskId: 't-pr', reason: 'quiet launch' } })
      .then([{ type: 'TaskWaived', data: { taskId: 't-pr', reason: 'quiet launch' } }]);
    given([launchCreated(), { type: 'TaskBlocked', data: { taskId: 't-pr', reason: 'x' } }])
      .when({ type: 'WaiveTask', data: { taskId: 't-pr', reason: 'r' } })
      .then([{ type: 'TaskWaived', data: { taskId: 't-pr', reason: 'r' } }]);
  });

  it('reopens a completed or waived task', () => {
    given([launchCreated(), messagingApproved])
      .when({ type: 'ReopenTask', data: { taskId: 't-msg', reason: 'new pricing' } })
      .then([{ type: 'TaskReopened', data: { taskId: 't-msg', reason: 'new pricing' } }]);
    given([launchCreated(), { type: 'TaskWaived', data: { taskId: 't-msg', reason: 'x' } }])
      .when({ type: 'ReopenTask', data: { taskId: 't-msg', reason: 'y' } })
      .then([{ type: 'TaskReopened', data: { taskId: 't-msg', reason: 'y' } }]);
  });

  it('refuses waiving a done task, reopening an open one, and departments', () => {
    given([launchCreated(), messagingApproved])
      .when({ type: 'WaiveTask', data: { taskId: 't-msg', reason: 'x' } })
      .thenFails(StateConflict);
    given([launchCreated()])
      .when({ type: 'ReopenTask', data: { taskId: 't-msg', reason: 'x' } })
      .thenFails(StateConflict, /signed-off/);
    given([launchCreated()])
      .when({ type: 'WaiveTask', data: { taskId: 't-msg', reason: 'x' } }, actors.productMarketing)
      .thenFails(Forbidden);
    given([launchCreated(), messagingApproved])
      .when({ type: 'ReopenTask', data: { taskId: 't-msg', reason: 'x' } }, actors.productMarketing)
      .thenFails(Forbidden);
  });
});

describe('UpdateTask', () => {
  it('reschedules and renames, one event each, only what changed', () => {
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', dueDate: '2026-12-05', title: 'Embargoed PR' } })
      .then([
        { type: 'TaskRescheduled', data: { taskId: 't-pr', dueDate: '2026-12-05', previousDueDate: '2026-12-10' } },
        { type: 'TaskRenamed', data: { taskId: 't-pr', title: 'Embargoed PR', previousTitle: 'PR scheduled' } },
      ]);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', dueDate: '2026-12-10', title: 'PR scheduled' } })
      .then([]);
  });

  it('refuses an empty change, a bad date, an unknown task and departments', () => {
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr' } })
      .thenFails(ValidationFailed);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', dueDate: '2026-13-01' } })
      .thenFails(ValidationFailed);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 'nope', title: 'x' } })
      .thenFails(NotFound);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', title: 'x' } }, actors.marketing)
      .thenFails(Forbidden);
  });
});

describe('RescheduleLaunch', () => {
  it('moves the target date with its reason; the same date changes nothing', () => {
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2027-01-12', reason: 'holidays' } })
      .then([{ type: 'LaunchRescheduled', data: { targetDate: '2027-01-12', previousTargetDate: '2026-12-15', reason: 'holidays' } }]);
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2026-12-15', reason: 'none' } })
      .then([]);
  });

  it('refuses a bad date, departments and a cancelled launch', () => {
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: 'soon', reason: 'x' } })
      .thenFails(ValidationFailed);
    given([launchCreated()])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2027-01-12', reason: 'x' } }, actors.sales)
      .thenFails(Forbidden);
    given([launchCreated(), cancelled])
      .when({ type: 'RescheduleLaunch', data: { targetDate: '2027-01-12', reason: 'x' } })
      .thenFails(StateConflict);
  });
});

describe('DecideGoNoGo', () => {
  it('refuses go while any required task is open or blocked, naming them', () => {
    given([launchCreated(), messagingApproved, salesTrained, prScheduled])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .thenFails(StateConflict, /release \(open\)/);
    given([
      ...allRequiredDone,
      { type: 'TaskReopened', data: { taskId: 't-rel', reason: 'x' } },
      { type: 'TaskBlocked', data: { taskId: 't-rel', reason: 'y' } },
    ])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .thenFails(StateConflict, /release \(blocked\)/);
  });

  it('accepts go once every required task is completed or waived; optional tasks do not matter', () => {
    given(allRequiredDone)
      .when({ type: 'DecideGoNoGo', data: { decision: 'go', note: 'ship it' } })
      .then([{ type: 'GoDecided', data: { note: 'ship it' } }]);
    given([launchCreated(), messagingApproved, salesTrained, prScheduled, { type: 'TaskWaived', data: { taskId: 't-rel', reason: 'no code' } }])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .then([{ type: 'GoDecided', data: {} }]);
  });

  it('records no-go with the open required tasks, and a no-go can later become go', () => {
    given([launchCreated(), messagingApproved, salesTrained, prScheduled])
      .when({ type: 'DecideGoNoGo', data: { decision: 'no-go', note: 'wait' } })
      .then([{ type: 'NoGoDecided', data: { note: 'wait', openRequiredTasks: ['t-rel'] } }]);
    given([...allRequiredDone, { type: 'NoGoDecided', data: { openRequiredTasks: [] } }])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .then([{ type: 'GoDecided', data: {} }]);
  });

  it('refuses repeating the current decision, an unknown decision and departments', () => {
    given([...allRequiredDone, goDecided])
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } })
      .thenFails(StateConflict, /already go/);
    given(allRequiredDone)
      .when({ type: 'DecideGoNoGo', data: { decision: 'maybe' as never } })
      .thenFails(ValidationFailed);
    given(allRequiredDone)
      .when({ type: 'DecideGoNoGo', data: { decision: 'go' } }, actors.sales)
      .thenFails(Forbidden);
  });
});

describe('MarkLaunched', () => {
  it('completes a launch decided go', () => {
    given([...allRequiredDone, goDecided])
      .when({ type: 'MarkLaunched', data: { note: 'live' } })
      .then([{ type: 'LaunchCompleted', data: { note: 'live' } }]);
  });

  it('refuses unless the launch is go with its required tasks still done', () => {
    given(allRequiredDone)
      .when({ type: 'MarkLaunched', data: {} })
      .thenFails(StateConflict, /planning/);
    given([...allRequiredDone, { type: 'NoGoDecided', data: { openRequiredTasks: [] } }])
      .when({ type: 'MarkLaunched', data: {} })
      .thenFails(StateConflict, /no-go/);
    given([...allRequiredDone, goDecided, { type: 'TaskReopened', data: { taskId: 't-rel', reason: 'regression' } }])
      .when({ type: 'MarkLaunched', data: {} })
      .thenFails(StateConflict, /reopened/);
    given([...allRequiredDone, goDecided])
      .when({ type: 'MarkLaunched', data: {} }, actors.engineering)
      .thenFails(Forbidden);
  });
});

describe('CancelLaunch', () => {
  it('cancels with a reason, once', () => {
    given([launchCreated()])
      .when({ type: 'CancelLaunch', data: { reason: 'market shifted' } })
      .then([cancelled]);
    given([launchCreated(), cancelled])
      .when({ type: 'CancelLaunch', data: { reason: 'again' } })
      .thenFails(StateConflict);
  });

  it('refuses a launch that does not exist and non-managers', () => {
    given([])
      .when({ type: 'CancelLaunch', data: { reason: 'x' } })
      .thenFails(NotFound);
    given([launchCreated()])
      .when({ type: 'CancelLaunch', data: { reason: 'x' } }, actors.auditor)
      .thenFails(Forbidden);
  });
});

function runCreate(data: Record<string, unknown>, actor: Actor = actors.manager): LaunchEvent[] {
  return decide({ type: 'CreateLaunch', data: data as never }, { exists: false }, { actor, now: NOW, newId: sequentialIds(), templates: BUILT_IN_TEMPLATES });
}
