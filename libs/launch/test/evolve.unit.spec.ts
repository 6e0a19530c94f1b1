import { describe, expect, it } from '@jest/globals';
import { evolve } from '../src/evolve.js';
import type { LaunchEvent } from '../src/events.js';
import { initialState } from '../src/state.js';
import { actors, fold, NOW } from './decider-specification.js';
import { launchCreated, messagingApproved } from './launch-mother.js';

const taskOf = (events: LaunchEvent[], taskId: string) => {
  const state = fold(events);
  if (!state.exists) throw new Error('no launch');
  return state.tasks.find((t) => t.taskId === taskId);
};

describe('evolve', () => {
  it('starts a launch in planning with every template task open', () => {
    const state = fold([launchCreated()]);
    expect(state).toMatchObject({ exists: true, status: 'planning', createdAt: NOW.toISOString() });
    if (state.exists) expect(state.tasks.every((t) => t.status === 'open')).toBe(true);
  });

  it('ignores events before the launch exists', () => {
    expect(evolve(initialState, messagingApproved, { occurredAt: NOW.toISOString(), actor: actors.manager })).toBe(initialState);
  });

  it('records who completed a task, when, and with what evidence', () => {
    expect(taskOf([launchCreated(), messagingApproved], 't-msg')).toMatchObject({
      status: 'completed',
      completedAt: NOW.toISOString(),
      completedBy: actors.manager.id,
      completedByName: actors.manager.name,
      details: { documentUrl: 'https://docs.example.com/msg', version: 'v3' },
    });
  });

  it('clears the outcome when a task is reopened, and keeps the reason when blocked or waived', () => {
    const reopened = taskOf([launchCreated(), messagingApproved, { type: 'TaskReopened', data: { taskId: 't-msg', reason: 'x' } }], 't-msg');
    expect(reopened).toEqual(expect.objectContaining({ status: 'open' }));
    expect(reopened).not.toHaveProperty('completedAt');
    expect(reopened).not.toHaveProperty('details');
    expect(taskOf([launchCreated(), { type: 'TaskBlocked', data: { taskId: 't-msg', reason: 'legal' } }], 't-msg')).toMatchObject({
      status: 'blocked',
      blockedReason: 'legal',
    });
    expect(taskOf([launchCreated(), { type: 'TaskWaived', data: { taskId: 't-msg', reason: 'n/a' } }], 't-msg')).toMatchObject({
      status: 'waived',
      waivedReason: 'n/a',
    });
  });

  it('shifts the due dates of tasks not yet signed off when the launch is rescheduled', () => {
    const events: LaunchEvent[] = [
      launchCreated(),
      messagingApproved,
      { type: 'LaunchRescheduled', data: { targetDate: '2026-12-22', previousTargetDate: '2026-12-15', reason: 'x' } },
    ];
    const state = fold(events);
    expect(state).toMatchObject({ targetDate: '2026-12-22' });
    expect(taskOf(events, 't-msg')?.dueDate).toBe('2026-12-01');
    expect(taskOf(events, 't-sales')?.dueDate).toBe('2026-12-17');
  });

  it('moves the launch status through decisions, launch and cancel', () => {
    expect(fold([launchCreated(), { type: 'NoGoDecided', data: { openRequiredTasks: [] } }])).toMatchObject({ status: 'no-go' });
    expect(fold([launchCreated(), { type: 'GoDecided', data: {} }])).toMatchObject({ status: 'go' });
    expect(fold([launchCreated(), { type: 'GoDecided', data: {} }, { type: 'LaunchCompleted', data: {} }])).toMatchObject({ status: 'launched' });
    expect(fold([launchCreated(), { type: 'LaunchCancelled', data: { reason: 'x' } }])).toMatchObject({ status: 'cancelled' });
  });
});
