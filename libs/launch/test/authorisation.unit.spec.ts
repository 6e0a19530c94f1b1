import { describe, it } from '@jest/globals';
import type { LaunchCommand } from '../src/commands.js';
import { Forbidden } from '../src/errors.js';
import type { LaunchEvent } from '../src/events.js';
import { actors, given } from './decider-specification.js';
import { LAUNCH_ID, launchCreated } from './launch-mother.js';

// One command of each type; `satisfies` makes a new command type a compile error here until listed.
const oneOfEach = {
  CreateLaunch: { type: 'CreateLaunch', data: { launchId: LAUNCH_ID, name: 'A', product: 'P', targetDate: '2026-12-15', tier: 3 } },
  AddTask: { type: 'AddTask', data: { title: 'x', department: 'sales' } },
  CompleteTask: { type: 'CompleteTask', data: { taskId: 't-sales' } },
  BlockTask: { type: 'BlockTask', data: { taskId: 't-sales', reason: 'x' } },
  UnblockTask: { type: 'UnblockTask', data: { taskId: 't-sales' } },
  WaiveTask: { type: 'WaiveTask', data: { taskId: 't-sales', reason: 'x' } },
  ReopenTask: { type: 'ReopenTask', data: { taskId: 't-sales', reason: 'x' } },
  UpdateTask: { type: 'UpdateTask', data: { taskId: 't-sales', title: 'x' } },
  CommentOnTask: { type: 'CommentOnTask', data: { taskId: 't-sales', text: 'x' } },
  EditLaunchDetails: { type: 'EditLaunchDetails', data: { name: 'B' } },
  RescheduleLaunch: { type: 'RescheduleLaunch', data: { targetDate: '2027-01-12', reason: 'x' } },
  DecideGoNoGo: { type: 'DecideGoNoGo', data: { decision: 'go' } },
  MarkLaunched: { type: 'MarkLaunched', data: {} },
  CancelLaunch: { type: 'CancelLaunch', data: { reason: 'x' } },
  CastVote: { type: 'CastVote', data: { vote: 'go', department: 'sales' } },
} satisfies { [Type in LaunchCommand['type']]: Extract<LaunchCommand, { type: Type }> };

const managerOnly = [
  'CreateLaunch',
  'AddTask',
  'WaiveTask',
  'ReopenTask',
  'UpdateTask',
  'EditLaunchDetails',
  'RescheduleLaunch',
  'DecideGoNoGo',
  'MarkLaunched',
  'CancelLaunch',
] as const;
const cancelled: LaunchEvent[] = [launchCreated(), { type: 'LaunchCancelled', data: { reason: 'gone' } }];

describe('authorisation comes first, in decide', () => {
  it.each(Object.values(oneOfEach))('refuses an auditor $type as forbidden, whether or not the launch exists', (command: LaunchCommand) => {
    given([]).when(command, actors.auditor).thenFails(Forbidden);
    given(cancelled).when(command, actors.auditor).thenFails(Forbidden);
  });

  it.each(managerOnly)('refuses a department %s as forbidden before looking at the launch', (type) => {
    given([])
      .when(oneOfEach[type], actors.sales)
      .thenFails(Forbidden, /role department/);
    given(cancelled)
      .when(oneOfEach[type], actors.sales)
      .thenFails(Forbidden, /role department/);
  });
});
