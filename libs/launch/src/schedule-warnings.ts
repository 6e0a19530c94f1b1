import type { Department } from './departments.js';
import { isDone, type Task } from './state.js';

/** A task that is already overdue when a launch is created or rescheduled: said, not silently accepted. */
export interface ScheduleWarning {
  code: 'TaskAlreadyOverdue';
  taskId: string;
  title: string;
  department: Department;
  dueDate: string;
}

/** Tasks not signed off (open, blocked or stale) whose due date is before `today` (a UTC date), in checklist order. */
export function overdueTaskWarnings(tasks: readonly Task[], today: string): ScheduleWarning[] {
  return tasks
    .filter((task) => !isDone(task) && task.dueDate < today)
    .map(({ taskId, title, department, dueDate }) => ({ code: 'TaskAlreadyOverdue', taskId, title, department, dueDate }));
}
