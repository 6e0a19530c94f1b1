import { addDays, utcDate } from './dates.js';
import type { Department } from './departments.js';
import type { Task } from './state.js';

export type ReadinessStatus = 'ready' | 'on-track' | 'at-risk' | 'blocked';

export interface DepartmentReadiness {
  department: Department;
  total: number;
  completed: number;
  waived: number;
  blocked: number;
  open: number;
  overdue: number;
  percent: number;
  status: ReadinessStatus;
}

export interface Readiness {
  overall: { percent: number; status: ReadinessStatus };
  departments: DepartmentReadiness[];
}

const SEVERITY: Record<ReadinessStatus, number> = { ready: 0, 'on-track': 1, 'at-risk': 2, blocked: 3 };
/** An open required task due within this many days puts its department at risk. */
const AT_RISK_WITHIN_DAYS = 2;

const percentOf = (done: number, total: number): number => (total === 0 ? 100 : Math.round((100 * done) / total));

/**
 * The share of required tasks signed off (completed or waived), as `computeReadiness(…).overall.percent`
 * gives it, without judging dates: unlike the readiness status it does not depend on the day it is
 * read, so the launch view stores it for sorting, computed on every event.
 */
export function readinessPercent(tasks: readonly Task[]): number {
  let total = 0;
  let done = 0;
  for (const task of tasks) {
    if (!task.required) continue;
    total++;
    if (task.status === 'completed' || task.status === 'waived') done++;
  }
  return percentOf(done, total);
}

/**
 * Readiness of a launch's tasks as judged at `now`: counts are of required tasks; departments
 * appear in the order of their first task. The live views and time travel both use this.
 */
export function computeReadiness(tasks: readonly Task[], now: Date): Readiness {
  const today = utcDate(now);
  const riskHorizon = addDays(today, AT_RISK_WITHIN_DAYS);
  const byDepartment = new Map<Department, DepartmentReadiness & { atRisk: boolean }>();
  for (const task of tasks) {
    let entry = byDepartment.get(task.department);
    if (!entry) {
      entry = { department: task.department, total: 0, completed: 0, waived: 0, blocked: 0, open: 0, overdue: 0, percent: 0, status: 'ready', atRisk: false };
      byDepartment.set(task.department, entry);
    }
    if (!task.required) continue;
    entry.total++;
    if (task.status === 'completed') entry.completed++;
    else if (task.status === 'waived') entry.waived++;
    else {
      if (task.status === 'blocked') entry.blocked++;
      else entry.open++;
      if (task.dueDate < today) entry.overdue++;
      if (task.status !== 'blocked' && task.dueDate <= riskHorizon) entry.atRisk = true;
    }
  }
  const departments: DepartmentReadiness[] = [];
  let total = 0;
  let done = 0;
  let worst: ReadinessStatus = 'ready';
  for (const { atRisk, ...entry } of byDepartment.values()) {
    const signedOff = entry.completed + entry.waived;
    entry.percent = percentOf(signedOff, entry.total);
    entry.status = signedOff === entry.total ? 'ready' : entry.blocked > 0 ? 'blocked' : atRisk ? 'at-risk' : 'on-track';
    if (SEVERITY[entry.status] > SEVERITY[worst]) worst = entry.status;
    total += entry.total;
    done += signedOff;
    departments.push(entry);
  }
  return { overall: { percent: percentOf(done, total), status: worst }, departments };
}
