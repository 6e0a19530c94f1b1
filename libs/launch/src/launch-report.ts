import { daysBetween, utcDate } from './dates.js';
import { DEPARTMENT_KEYS, type Department } from './departments.js';
import type { LaunchEvent } from './events.js';
import { evolve, isCompletionEvent, type EventContext } from './evolve.js';
import { initialState, type LaunchState, type LaunchStatus, type TaskStatus } from './state.js';
import type { Tier } from './tiers.js';

/**
 * What a launch's log says about delivery, folded from its events alone (no view, no clock), so a
 * launch finished before reports existed gets the same report as one finished after, and a rebuild
 * changes nothing. Days are UTC calendar days.
 *
 * - A task is judged by the sign-off that stands at the end: its last completion, if it ends
 *   `completed`. It is on time when that completion's UTC date is on or before the due date the
 *   task had at that moment (after every task and launch reschedule before it); otherwise it is
 *   late by the days between the two.
 * - A sign-off is invalidated when a completed task is reopened or becomes stale (a dependency was
 *   reopened); each such event counts once, against the task's department.
 * - Waived tasks, and tasks not signed off at the end (open, blocked, stale), are neither on time
 *   nor late. The on-time rate is on time ÷ completed.
 * - The go decision is the latest `GoDecided` not reversed by a later `NoGoDecided`.
 */
export interface ReportedEvent {
  event: LaunchEvent;
  context: EventContext;
}

export interface TaskReport {
  taskId: string;
  key: string;
  title: string;
  department: Department;
  required: boolean;
  status: TaskStatus;
  /** The due date at the end. */
  dueDate: string;
  /** The standing sign-off (ends `completed` only), else null. */
  completedAt: string | null;
  /** The due date in force when the standing sign-off was made. */
  dueDateAtCompletion: string | null;
  /** Days the standing sign-off came after its due date (0: on time); null unless completed. */
  daysLate: number | null;
  onTime: boolean | null;
  /** How many times the task was completed (a reopened or stale sign-off completed again counts twice). */
  completions: number;
  signOffsInvalidated: number;
}

/** Delivery counts over a set of tasks. */
export interface DeliveryCounts {
  tasks: number;
  completed: number;
  onTime: number;
  late: number;
  /** Sum of the late tasks' days late. */
  daysLate: number;
  /** daysLate ÷ late, 2 decimals; null without late tasks. */
  averageDaysLate: number | null;
  waived: number;
  /** Open, blocked or stale at the end. */
  notDone: number;
  signOffsInvalidated: number;
  /** onTime ÷ completed, 3 decimals; null when nothing was completed. */
  onTimeRate: number | null;
}

export interface DepartmentReport extends DeliveryCounts {
  department: Department;
}

export interface LaunchReport {
  launchId: string;
  name: string;
  product: string;
  tier: Tier;
  status: LaunchStatus;
  targetDate: string;
  createdAt: string;
  goDecidedAt: string | null;
  launchedAt: string | null;
  /** UTC calendar days from creation to the go decision / to launch; null while there is none. */
  daysToGo: number | null;
  daysToLaunch: number | null;
  /** Departments with at least one task, in catalog order. */
  departments: DepartmentReport[];
  /** In checklist order. */
  tasks: TaskReport[];
}

interface TaskTrack {
  completions: number;
  lastCompletedAt: string | null;
  dueDateAtCompletion: string | null;
  invalidated: number;
}

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** The report of one launch from its events, oldest first; null when they do not create a launch. */
export function launchReport(events: Iterable<ReportedEvent>): LaunchReport | null {
  let state: LaunchState = initialState;
  const tracks = new Map<string, TaskTrack>();
  const track = (taskId: string): TaskTrack => {
    let found = tracks.get(taskId);
    if (!found) tracks.set(taskId, (found = { completions: 0, lastCompletedAt: null, dueDateAtCompletion: null, invalidated: 0 }));
    return found;
  };
  let goDecidedAt: string | null = null;
  let launchedAt: string | null = null;
  for (const { event, context } of events) {
    if (state.exists) {
      const before = 'taskId' in event.data ? state.tasks.find((task) => task.taskId === (event.data as { taskId: string }).taskId) : undefined;
      if (isCompletionEvent(event) && before) {
        const t = track(before.taskId);
        t.completions++;
        t.lastCompletedAt = context.occurredAt;
        t.dueDateAtCompletion = before.dueDate;
      } else if (event.type === 'SignOffInvalidated' && before) track(before.taskId).invalidated++;
      else if (event.type === 'TaskReopened' && before?.status === 'completed') track(before.taskId).invalidated++;
      else if (event.type === 'GoDecided') goDecidedAt = context.occurredAt;
      else if (event.type === 'NoGoDecided') goDecidedAt = null;
      else if (event.type === 'LaunchCompleted') launchedAt = context.occurredAt;
    }
    state = evolve(state, event, context);
  }
  if (!state.exists) return null;

  const tasks: TaskReport[] = state.tasks.map((task) => {
    const t = track(task.taskId);
    const completed = task.status === 'completed' && t.lastCompletedAt !== null && t.dueDateAtCompletion !== null;
    const daysLate = completed ? Math.max(0, daysBetween(t.dueDateAtCompletion!, utcDate(new Date(t.lastCompletedAt!)))) : null;
    return {
      taskId: task.taskId,
      key: task.key,
      title: task.title,
      department: task.department,
      required: task.required,
      status: task.status,
      dueDate: task.dueDate,
      completedAt: completed ? t.lastCompletedAt : null,
      dueDateAtCompletion: completed ? t.dueDateAtCompletion : null,
      daysLate,
      onTime: daysLate === null ? null : daysLate === 0,
      completions: t.completions,
      signOffsInvalidated: t.invalidated,
    };
  });
  const created = utcDate(new Date(state.createdAt));
  const daysSinceCreation = (instant: string | null) => (instant === null ? null : daysBetween(created, utcDate(new Date(instant))));
  return {
    launchId: state.launchId,
    name: state.name,
    product: state.product,
    tier: state.tier,
    status: state.status,
    targetDate: state.targetDate,
    createdAt: state.createdAt,
    goDecidedAt,
    launchedAt,
    daysToGo: daysSinceCreation(goDecidedAt),
    daysToLaunch: daysSinceCreation(launchedAt),
    departments: byDepartment(tasks).map(([department, counts]) => ({ department, ...counts })),
    tasks,
  };
}

/** Delivery counts of each department with tasks, in catalog order. */
export function byDepartment(tasks: readonly TaskReport[]): Array<[Department, DeliveryCounts]> {
  return DEPARTMENT_KEYS.flatMap((department): Array<[Department, DeliveryCounts]> => {
    const own = tasks.filter((task) => task.department === department);
    return own.length === 0 ? [] : [[department, deliveryCounts(own)]];
  });
}

export function deliveryCounts(tasks: readonly TaskReport[]): DeliveryCounts {
  let completed = 0;
  let onTime = 0;
  let daysLate = 0;
  let waived = 0;
  let signOffsInvalidated = 0;
  for (const task of tasks) {
    if (task.status === 'completed') completed++;
    if (task.status === 'waived') waived++;
    if (task.onTime === true) onTime++;
    daysLate += task.daysLate ?? 0;
    signOffsInvalidated += task.signOffsInvalidated;
  }
  const late = completed - onTime;
  return {
    tasks: tasks.length,
    completed,
    onTime,
    late,
    daysLate,
    averageDaysLate: late === 0 ? null : round(daysLate / late, 2),
    waived,
    notDone: tasks.length - completed - waived,
    signOffsInvalidated,
    onTimeRate: completed === 0 ? null : round(onTime / completed, 3),
  };
}
