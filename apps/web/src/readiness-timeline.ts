/**
 * Readiness per department after each event of a launch's history, folded here from the log the
 * history endpoint returns (the same rule as the API's readiness: round(100 × (completed + waived) /
 * required), over required tasks). Pure, so the chart and the tests share it.
 */

/** What the fold reads of a history event. */
export interface LoggedEvent {
  revision: number;
  type: string;
  data: Record<string, unknown>;
  metadata: { occurredAt: string };
}

export interface TimelinePoint {
  revision: number;
  at: string;
  type: string;
  /** department → percent of its required tasks signed off, after this event. */
  percent: Record<string, number>;
}

interface FoldedTask {
  department: string;
  required: boolean;
  status: 'open' | 'blocked' | 'completed' | 'waived' | 'stale';
}

const COMPLETIONS = new Set([
  'MessagingApproved',
  'SalesTrained',
  'PrScheduled',
  'PricingApproved',
  'SupportTrained',
  'DocumentationPublished',
  'ReleaseApproved',
  'TaskCompleted',
]);

const STATUS_AFTER: Record<string, FoldedTask['status']> = {
  TaskBlocked: 'blocked',
  TaskUnblocked: 'open',
  TaskWaived: 'waived',
  TaskReopened: 'open',
  SignOffInvalidated: 'stale',
};

function addTask(tasks: Map<string, FoldedTask>, spec: unknown): void {
  const task = spec as { taskId?: unknown; department?: unknown; required?: unknown };
  if (typeof task.taskId !== 'string' || typeof task.department !== 'string') return;
  tasks.set(task.taskId, { department: task.department, required: task.required !== false, status: 'open' });
}

function percentages(tasks: Map<string, FoldedTask>): Record<string, number> {
  const totals = new Map<string, { total: number; done: number }>();
  for (const task of tasks.values()) {
    const entry = totals.get(task.department) ?? { total: 0, done: 0 };
    totals.set(task.department, entry);
    if (!task.required) continue;
    entry.total++;
    if (task.status === 'completed' || task.status === 'waived') entry.done++;
  }
  const percent: Record<string, number> = {};
  for (const [department, { total, done }] of totals) percent[department] = total === 0 ? 100 : Math.round((100 * done) / total);
  return percent;
}

/** One point per event, oldest first; events that change no task repeat the previous readiness. */
export function readinessTimeline(events: readonly LoggedEvent[]): TimelinePoint[] {
  const tasks = new Map<string, FoldedTask>();
  const points: TimelinePoint[] = [];
  for (const event of events) {
    const taskId = typeof event.data.taskId === 'string' ? event.data.taskId : undefined;
    const task = taskId ? tasks.get(taskId) : undefined;
    if (event.type === 'LaunchCreated' && Array.isArray(event.data.tasks)) for (const spec of event.data.tasks) addTask(tasks, spec);
    else if (event.type === 'TaskAdded') addTask(tasks, event.data);
    else if (task && COMPLETIONS.has(event.type)) task.status = 'completed';
    else if (task && STATUS_AFTER[event.type]) task.status = STATUS_AFTER[event.type]!;
    points.push({ revision: event.revision, at: event.metadata.occurredAt, type: event.type, percent: percentages(tasks) });
  }
  return points;
}
