/**
 * What a launch's tasks mean for whoever reads the room: which dependencies are still open, what a
 * task waits on, why a department is at risk or blocked. Pure (no DOM), so the views and the tests
 * share it; the API remains the judge of every command, these only keep the page from offering what
 * it would refuse and say why.
 */
import type { ReadinessStatus } from './types.js';

/** What these rules read of a task: the API's task shape, or any subset of it. */
export interface RuleTask {
  taskId: string;
  title: string;
  department: string;
  status: string;
  required: boolean;
  dueDate: string;
  dependsOn?: string[];
  blockedReason?: string;
}

export interface RuleLaunch<T extends RuleTask = RuleTask> {
  tasks: readonly T[];
}

/** A sign-off stands when the task is completed or waived (a stale one does not). */
export const isSignedOff = (task: Pick<RuleTask, 'status'>): boolean => task.status === 'completed' || task.status === 'waived';

/** The tasks this one depends on directly whose sign-off does not stand yet. */
export function openDependencies<T extends RuleTask>(task: Pick<RuleTask, 'dependsOn'>, launch: RuleLaunch<T>): T[] {
  return (task.dependsOn ?? []).map((id) => launch.tasks.find((t) => t.taskId === id)).filter((t): t is T => !!t && !isSignedOff(t));
}

/**
 * Whether completing the task now could be accepted: it is open or stale (a blocked task is
 * unblocked first; a signed-off one is reopened first) and every task it depends on is signed off.
 * The inbox offers "Complete…" only when this holds.
 */
export function canComplete(task: Pick<RuleTask, 'status' | 'dependsOn'>, launch: RuleLaunch): boolean {
  return (task.status === 'open' || task.status === 'stale') && openDependencies(task, launch).length === 0;
}

/** One open dependency, and the blocked task (itself or one further up) that holds it, if any. */
export interface Waiting<T extends RuleTask = RuleTask> {
  on: T;
  blockedBy?: T;
}

/** The blocked task this one waits on, directly or through other open dependencies (cycles are cut). */
function blockedUpstream<T extends RuleTask>(task: T, launch: RuleLaunch<T>, seen = new Set<string>()): T | undefined {
  if (seen.has(task.taskId)) return undefined;
  seen.add(task.taskId);
  if (task.status === 'blocked') return task;
  for (const dependency of openDependencies(task, launch)) {
    const found = blockedUpstream(dependency, launch, seen);
    if (found) return found;
  }
  return undefined;
}

/** What the task waits on before it can be completed: each open dependency, and what blocks it. */
export function waitingOn<T extends RuleTask>(task: RuleTask, launch: RuleLaunch<T>): Waiting<T>[] {
  if (isSignedOff(task)) return [];
  return openDependencies(task, launch).map((on) => ({ on, blockedBy: blockedUpstream(on, launch) }));
}

/** "Sales team trained waits on Messaging approved, which is blocked: legal hold." */
export function describeWaiting(task: Pick<RuleTask, 'title'>, waiting: Waiting): string {
  const { on, blockedBy } = waiting;
  if (!blockedBy) return `${task.title} waits on ${on.title} (${on.status === 'stale' ? 'to be signed off again' : 'not signed off yet'})`;
  const reason = blockedBy.blockedReason ? `: ${blockedBy.blockedReason}` : '';
  return blockedBy === on
    ? `${task.title} waits on ${on.title}, which is blocked${reason}`
    : `${task.title} waits on ${on.title}, which waits on ${blockedBy.title}, blocked${reason}`;
}

const AT_RISK_WITHIN_DAYS = 2;
const SEVERITY: Record<ReadinessStatus, number> = { ready: 0, 'on-track': 1, 'at-risk': 2, blocked: 3 };

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export const worstStatus = (statuses: ReadinessStatus[]): ReadinessStatus =>
  statuses.reduce<ReadinessStatus>((worst, status) => (SEVERITY[status] > SEVERITY[worst] ? status : worst), 'ready');

/**
 * Why a department has the status it has, naming each task and the reason: blocked tasks with their
 * reason, overdue or nearly due tasks, and tasks waiting on a blocked one. `today` is YYYY-MM-DD (UTC),
 * the calendar the API judges due dates by.
 */
export function statusCauses(department: string, launch: RuleLaunch, today: string): string[] {
  const horizon = addDays(today, AT_RISK_WITHIN_DAYS);
  const causes: string[] = [];
  for (const task of launch.tasks) {
    if (task.department !== department || !task.required || isSignedOff(task)) continue;
    if (task.status === 'blocked') {
      causes.push(`${task.title} is blocked${task.blockedReason ? `: ${task.blockedReason}` : ''}`);
      continue;
    }
    if (task.dueDate < today) causes.push(`${task.title} is overdue (due ${task.dueDate})`);
    else if (task.dueDate <= horizon) causes.push(`${task.title} is due ${task.dueDate === today ? 'today' : `by ${task.dueDate}`}`);
    for (const waiting of waitingOn(task, launch)) if (waiting.blockedBy) causes.push(describeWaiting(task, waiting));
  }
  return causes;
}

/**
 * The status the room shows for a department: the API's, except that a department whose required task
 * waits on a blocked task is never "on track" (it cannot finish until someone else unblocks): at risk.
 */
export function shownStatus(department: string, apiStatus: ReadinessStatus, launch: RuleLaunch): ReadinessStatus {
  if (apiStatus !== 'on-track') return apiStatus;
  const held = launch.tasks.some(
    (task) => task.department === department && task.required && !isSignedOff(task) && waitingOn(task, launch).some((w) => w.blockedBy),
  );
  return held ? 'at-risk' : apiStatus;
}
