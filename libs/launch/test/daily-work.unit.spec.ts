import { describe, expect, it } from '@jest/globals';
import { Forbidden, NotFound, StateConflict, ValidationFailed } from '../src/errors.js';
import type { LaunchEvent } from '../src/events.js';
import { commentText } from '../src/free-text.js';
import { actors, fold, given, NOW } from './decider-specification.js';
import { launchCreated } from './launch-mother.js';

const ada = { name: 'Ada Lovelace', email: 'ada@example.com' };
const grace = { name: 'Grace Hopper', email: 'grace@example.com' };
const assigned = (owner = ada, previousOwner: typeof ada | null = null): LaunchEvent => ({
  type: 'TaskAssigned',
  data: { taskId: 't-pr', owner, previousOwner },
});
const cancelled: LaunchEvent = { type: 'LaunchCancelled', data: { reason: 'dropped' } };

describe('owners (UpdateTask with owner)', () => {
  it('assigns, reassigns with the previous owner, and unassigns', () => {
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: ada } })
      .then([assigned()]);
    given([launchCreated(), assigned()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: grace } })
      .then([assigned(grace, ada)]);
    given([launchCreated(), assigned()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: null } })
      .then([{ type: 'TaskUnassigned', data: { taskId: 't-pr', previousOwner: ada } }]);
  });

  it('records nothing for the same owner again (address case aside) or unassigning an unassigned task', () => {
    given([launchCreated(), assigned()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: { name: 'Ada Lovelace', email: 'ADA@Example.com' } } })
      .then([]);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: null } })
      .then([]);
  });

  it('refuses a bad address or an empty name, and departments', () => {
    const refusal = given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: { name: ' ', email: 'not-an-address' } } })
      .thenFails(ValidationFailed) as ValidationFailed;
    expect(refusal.errors.map((e) => e.field)).toEqual(['owner.name', 'owner.email']);
    given([launchCreated()])
      .when({ type: 'UpdateTask', data: { taskId: 't-pr', owner: ada } }, actors.marketing)
      .thenFails(Forbidden);
  });

  it('the owner survives sign-offs and reopening, and every task starts with none', () => {
    const state = fold([
      launchCreated(),
      assigned(),
      { type: 'TaskBlocked', data: { taskId: 't-pr', reason: 'x' } },
      { type: 'TaskUnblocked', data: { taskId: 't-pr' } },
      { type: 'PrScheduled', data: { taskId: 't-pr', details: { announceAt: '2026-12-15T09:00:00Z', outlets: ['X'] } } },
      { type: 'TaskReopened', data: { taskId: 't-pr', reason: 'again' } },
    ]);
    if (!state.exists) throw new Error('no launch');
    expect(state.tasks.find((t) => t.taskId === 't-pr')?.owner).toEqual(ada);
    expect(state.tasks.filter((t) => t.taskId !== 't-pr').map((t) => t.owner)).toEqual([null, null, null, null]);
  });
});

describe('comments (CommentOnTask)', () => {
  it('records the text as NFC, trimmed, with its id and instant', () => {
    given([launchCreated()])
      .when({ type: 'CommentOnTask', data: { taskId: 't-pr', text: '  Cafe\u0301 booked\r\nfor the\tlaunch  ' } }, actors.sales)
      .then([{ type: 'TaskCommented', data: { taskId: 't-pr', commentId: 'new-task-1', text: 'Café booked\nfor the\tlaunch', at: NOW.toISOString() } }]);
  });

  it('is open to every department and to finished launches, never to auditors', () => {
    given([launchCreated(), cancelled])
      .when({ type: 'CommentOnTask', data: { taskId: 't-pr', text: 'why?' } }, actors.engineering)
      .then([{ type: 'TaskCommented', data: { taskId: 't-pr', commentId: 'new-task-1', text: 'why?', at: NOW.toISOString() } }]);
    given([launchCreated()])
      .when({ type: 'CommentOnTask', data: { taskId: 't-pr', text: 'hi' } }, actors.auditor)
      .thenFails(Forbidden);
  });

  it('refuses empty, over-long and control-character text, and unknown tasks', () => {
    for (const text of ['   ', 'x'.repeat(4001), 'bell\u0007', 'nul\u0000', 'c1\u0085']) {
      given([launchCreated()])
        .when({ type: 'CommentOnTask', data: { taskId: 't-pr', text } })
        .thenFails(ValidationFailed, /text must be/);
    }
    given([launchCreated()])
      .when({ type: 'CommentOnTask', data: { taskId: 'no-such', text: 'x' } })
      .thenFails(NotFound);
  });

  it('counts characters, not UTF-16 units: 4,000 emoji are accepted', () => {
    expect(commentText('🚀'.repeat(4000))).toHaveLength(8000);
    expect(commentText('🚀'.repeat(4001))).toBeNull();
  });

  it('changes nothing in the launch', () => {
    const before = fold([launchCreated()]);
    const after = fold([launchCreated(), { type: 'TaskCommented', data: { taskId: 't-pr', commentId: 'c', text: 'x', at: NOW.toISOString() } }]);
    expect(after).toEqual(before);
  });
});

describe('EditLaunchDetails', () => {
  it('records only the fields that change, from and to', () => {
    given([launchCreated()])
      .when({ type: 'EditLaunchDetails', data: { name: 'Aurora 2 GA', product: 'Aurora', description: 'The second one' } })
      .then([{ type: 'LaunchDetailsEdited', data: { changes: { name: { from: 'Aurora GA', to: 'Aurora 2 GA' }, description: { to: 'The second one' } } } }]);
    const state = fold([launchCreated(), { type: 'LaunchDetailsEdited', data: { changes: { name: { from: 'Aurora GA', to: 'Aurora 2 GA' } } } }]);
    expect(state.exists && [state.name, state.product]).toEqual(['Aurora 2 GA', 'Aurora']);
  });

  it('records nothing when every value is as it is', () => {
    given([launchCreated()])
      .when({ type: 'EditLaunchDetails', data: { name: 'Aurora GA', product: 'Aurora' } })
      .then([]);
  });

  it('refuses no fields, empty or over-long values, departments, and finished launches', () => {
    given([launchCreated()])
      .when({ type: 'EditLaunchDetails', data: {} })
      .thenFails(ValidationFailed, /nothing to change/);
    given([launchCreated()])
      .when({ type: 'EditLaunchDetails', data: { name: ' ', product: 'p'.repeat(201) } })
      .thenFails(ValidationFailed);
    given([launchCreated()])
      .when({ type: 'EditLaunchDetails', data: { name: 'X' } }, actors.sales)
      .thenFails(Forbidden);
    given([launchCreated(), cancelled])
      .when({ type: 'EditLaunchDetails', data: { name: 'X' } })
      .thenFails(StateConflict, /cancelled/);
  });
});
