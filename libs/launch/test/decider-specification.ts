import { expect } from '@jest/globals';
import { decide, type DecideContext } from '../src/decide.js';
import type { LaunchCommand } from '../src/commands.js';
import type { Actor } from '../src/actor.js';
import type { LaunchEvent } from '../src/events.js';
import { evolve } from '../src/evolve.js';
import { initialState, type LaunchState } from '../src/state.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';
import type { DomainError } from '../src/errors.js';

export const NOW = new Date('2026-11-21T10:00:00Z');

export const actors = {
  admin: { id: 'p-admin', name: 'Ada Admin', role: 'admin' },
  manager: { id: 'p-lm', name: 'Lee Manager', role: 'launch-manager' },
  sales: { id: 'p-sales', name: 'Sam Sales', role: 'department', department: 'sales' },
  marketing: { id: 'p-mkt', name: 'Mia Marketing', role: 'department', department: 'marketing' },
  productMarketing: { id: 'p-pmm', name: 'Pat PMM', role: 'department', department: 'product-marketing' },
  engineering: { id: 'p-eng', name: 'Eve Eng', role: 'department', department: 'engineering' },
  auditor: { id: 'p-aud', name: 'Aldo Auditor', role: 'auditor' },
} satisfies Record<string, Actor>;

/** Ids handed to decide: `task-1`, `task-2`, … in order, so expected events are exact. */
export function sequentialIds(prefix = 'task'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export function fold(events: LaunchEvent[], actor: Actor = actors.manager): LaunchState {
  return events.reduce((state, event) => evolve(state, event, { occurredAt: NOW.toISOString(), actor }), initialState);
}

/** given(events).when(command, actor).then(events) | .thenFails(ErrorClass, message?) */
export function given(events: LaunchEvent[]) {
  return {
    when(command: LaunchCommand, actor: Actor = actors.manager, context: Partial<DecideContext> = {}) {
      const run = () =>
        decide(command, fold(events), {
          actor,
          now: NOW,
          newId: sequentialIds('new-task'),
          templates: BUILT_IN_TEMPLATES,
          ...context,
        });
      return {
        then(expected: LaunchEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenFails(errorClass: abstract new (...args: never[]) => DomainError, message?: RegExp) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(errorClass);
          if (message) expect((caught as Error).message).toMatch(message);
          return caught as DomainError;
        },
      };
    },
  };
}
