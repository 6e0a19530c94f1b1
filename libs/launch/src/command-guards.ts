import type { Actor } from './actor.js';
import { isIsoDate } from './dates.js';
import { Forbidden, NotFound, StateConflict, ValidationFailed } from './errors.js';
import { isDone, type Launch, type LaunchState, type Task } from './state.js';

/* The checks several commands share: which launch and task a command may act on. */

/** The launch a command acts on, whatever its status. */
export function existingLaunch(state: LaunchState): Launch {
  if (!state.exists) throw new NotFound('no such launch');
  return state;
}

/** The launch a command acts on: it must exist and still accept commands. */
export function openLaunch(state: LaunchState): Launch {
  if (!state.exists) throw new NotFound('no such launch');
  if (state.status === 'cancelled') throw new StateConflict('the launch is cancelled; it accepts no further commands');
  if (state.status === 'launched') throw new StateConflict('the launch has launched; it accepts no further commands');
  return state;
}

export function existingTask(launch: Launch, taskId: string): Task {
  const task = launch.tasks.find((t) => t.taskId === taskId);
  if (!task) throw new NotFound('no such task in this launch');
  return task;
}

/** A department principal may act only on its own department's tasks. */
export function ownTask(launch: Launch, taskId: string, actor: Actor): Task {
  const task = existingTask(launch, taskId);
  if (actor.role === 'department' && actor.department !== task.department) {
    throw new Forbidden(`this task belongs to ${task.department}; ${actor.department ?? 'this principal'} may not act on it`);
  }
  return task;
}

/** Required tasks whose sign-off does not stand. */
export function outstandingRequired(launch: Launch): Task[] {
  return launch.tasks.filter((t) => t.required && !isDone(t));
}

export function assertDate(field: string, value: string): void {
  if (!isIsoDate(value)) throw new ValidationFailed(`${field} must be a date YYYY-MM-DD`, [{ field, message: 'must be a date YYYY-MM-DD' }]);
}

/** The tasks as `key (status)`, for a refusal's message. */
export function describeTasks(tasks: readonly Task[]): string {
  return tasks.map((t) => `${t.key} (${t.status})`).join(', ');
}
