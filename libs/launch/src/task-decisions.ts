import type { AddTask, BlockTask, CommentOnTask, CompleteTask, ReopenTask, UnblockTask, UpdateTask, WaiveTask } from './commands.js';
import { assertDate, describeTasks, existingTask, ownTask } from './command-guards.js';
import { isIsoDate } from './dates.js';
import type { DecideContext } from './decide-context.js';
import { isDepartment } from './departments.js';
import { StateConflict, ValidationFailed, type FieldError } from './errors.js';
import type { CompletionEvent, LaunchEvent, TaskAdded, TaskBlocked, TaskCommented, TaskReopened, TaskUnblocked, TaskWaived } from './events.js';
import { COMMENT_TEXT_RULE, commentText, sameOwner, validOwner } from './free-text.js';
import { isDone, type Launch, type Task } from './state.js';
import { COMPLETION_EVENTS, isTaskKind, validateDetails } from './task-kinds.js';

/** One function per command on a task of an open launch: the events it records, or the refusal. */

export function addTask({ data }: AddTask, launch: Launch, context: DecideContext): TaskAdded[] {
  const errors: FieldError[] = [];
  if (!isDepartment(data.department)) errors.push({ field: 'department', message: 'must be a department key' });
  if (data.kind !== undefined && !isTaskKind(data.kind)) errors.push({ field: 'kind', message: 'must be a task kind' });
  if (data.dueDate !== undefined && !isIsoDate(data.dueDate)) errors.push({ field: 'dueDate', message: 'must be a date YYYY-MM-DD' });
  const unknown = (data.dependsOn ?? []).filter((id) => !launch.tasks.some((t) => t.taskId === id));
  if (unknown.length > 0) errors.push({ field: 'dependsOn', message: `names no task of this launch: ${unknown.join(', ')}` });
  if (errors.length > 0) throw new ValidationFailed('the task is not valid', errors);
  const dependsOn = [...new Set(data.dependsOn ?? [])];
  const task = {
    taskId: context.newId(),
    key: uniqueKey(launch, data.title),
    title: data.title,
    department: data.department,
    kind: data.kind ?? 'generic',
    required: data.required ?? true,
    dueDate: data.dueDate ?? launch.targetDate,
    ...(dependsOn.length > 0 && { dependsOn }),
  };
  return [{ type: 'TaskAdded', data: task }];
}

export function completeTask({ data }: CompleteTask, launch: Launch, { actor }: DecideContext): CompletionEvent[] {
  const task = ownTask(launch, data.taskId, actor);
  const errors = validateDetails(task.kind, data.details);
  if (errors.length > 0) throw new ValidationFailed(`details do not fit a ${task.kind} task`, errors);
  if (task.status === 'completed') throw new StateConflict('the task is already completed');
  if (task.status === 'waived') throw new StateConflict('the task is waived; reopen it first');
  if (task.status === 'blocked') throw new StateConflict('the task is blocked; unblock it first');
  const waitingFor = unmetDependencies(launch, task);
  if (waitingFor.length > 0) throw new StateConflict(`the task depends on ${describeTasks(waitingFor)}, not yet signed off`);
  const { taskId, note, evidenceUrl, details } = data;
  const completion = {
    taskId,
    ...(note !== undefined && { note }),
    ...(evidenceUrl !== undefined && { evidenceUrl }),
    ...(details !== undefined && task.kind !== 'generic' && { details }),
  };
  return [{ type: COMPLETION_EVENTS[task.kind], data: completion }];
}

export function blockTask({ data }: BlockTask, launch: Launch, { actor }: DecideContext): TaskBlocked[] {
  const task = ownTask(launch, data.taskId, actor);
  if (task.status === 'blocked') throw new StateConflict('the task is already blocked');
  if (isDone(task)) throw new StateConflict(`the task is ${task.status}; reopen it first`);
  return [{ type: 'TaskBlocked', data: { taskId: task.taskId, reason: data.reason } }];
}

export function unblockTask({ data }: UnblockTask, launch: Launch, { actor }: DecideContext): TaskUnblocked[] {
  const task = ownTask(launch, data.taskId, actor);
  if (task.status !== 'blocked') throw new StateConflict(`the task is ${task.status}, not blocked`);
  const { note } = data;
  return [{ type: 'TaskUnblocked', data: { taskId: task.taskId, ...(note !== undefined && { note }) } }];
}

export function waiveTask({ data }: WaiveTask, launch: Launch): TaskWaived[] {
  const task = existingTask(launch, data.taskId);
  if (isDone(task)) throw new StateConflict(`the task is already ${task.status}`);
  return [{ type: 'TaskWaived', data: { taskId: task.taskId, reason: data.reason } }];
}

/** Reopening a sign-off invalidates every completed sign-off that depends on it, directly or not. */
export function reopenTask({ data }: ReopenTask, launch: Launch): LaunchEvent[] {
  const task = existingTask(launch, data.taskId);
  if (task.status === 'open' || task.status === 'blocked') throw new StateConflict(`the task is ${task.status}; only a signed-off task can be reopened`);
  const reopened: TaskReopened = { type: 'TaskReopened', data: { taskId: task.taskId, reason: data.reason } };
  const invalidated = dependentSignOffs(launch, task.taskId).map((dependent): LaunchEvent => ({
    type: 'SignOffInvalidated',
    data: { taskId: dependent.taskId, invalidatedBy: task.taskId, reason: `${task.key} was reopened: ${data.reason}` },
  }));
  return [reopened, ...invalidated];
}

/** Records only what changes: rescheduled, renamed, (un)assigned, several or nothing. */
export function updateTask({ data }: UpdateTask, launch: Launch): LaunchEvent[] {
  const task = existingTask(launch, data.taskId);
  const { dueDate, title } = data;
  if (dueDate === undefined && title === undefined && data.owner === undefined) throw new ValidationFailed('nothing to change: send dueDate, title or owner');
  if (dueDate !== undefined) assertDate('dueDate', dueDate);
  const owner = data.owner ? validOwner(data.owner) : data.owner;
  const events: LaunchEvent[] = [];
  if (dueDate !== undefined && dueDate !== task.dueDate) {
    events.push({ type: 'TaskRescheduled', data: { taskId: task.taskId, dueDate, previousDueDate: task.dueDate } });
  }
  if (title !== undefined && title !== task.title) {
    events.push({ type: 'TaskRenamed', data: { taskId: task.taskId, title, previousTitle: task.title } });
  }
  const previousOwner = task.owner ?? null;
  if (owner !== undefined && !sameOwner(owner, previousOwner)) {
    events.push(
      owner === null
        ? { type: 'TaskUnassigned', data: { taskId: task.taskId, previousOwner: previousOwner! } }
        : { type: 'TaskAssigned', data: { taskId: task.taskId, owner, previousOwner } },
    );
  }
  return events;
}

/** A comment on any task of the launch, whatever the launch's status: discussion may go on after the fact. */
export function commentOnTask({ data }: CommentOnTask, launch: Launch, context: DecideContext): TaskCommented[] {
  const task = existingTask(launch, data.taskId);
  const text = commentText(data.text);
  if (text === null) throw new ValidationFailed(`text must be ${COMMENT_TEXT_RULE}`, [{ field: 'text', message: `must be ${COMMENT_TEXT_RULE}` }]);
  return [{ type: 'TaskCommented', data: { taskId: task.taskId, commentId: context.newId(), text, at: context.now.toISOString() } }];
}

function unmetDependencies(launch: Launch, task: Task): Task[] {
  return (task.dependsOn ?? []).map((id) => existingTask(launch, id)).filter((dependency) => !isDone(dependency));
}

/** Completed tasks that depend, directly or through other such tasks, on the one being reopened. */
function dependentSignOffs(launch: Launch, reopenedId: string): Task[] {
  const invalid = new Set([reopenedId]);
  const found: Task[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const task of launch.tasks) {
      if (task.status === 'completed' && !invalid.has(task.taskId) && task.dependsOn?.some((id) => invalid.has(id))) {
        invalid.add(task.taskId);
        found.push(task);
        grew = true;
      }
    }
  }
  return found;
}

/** A key from the title, unique within the launch (`-2`, `-3`… on a clash). */
function uniqueKey(launch: Launch, title: string): string {
  const base =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'task';
  const taken = new Set(launch.tasks.map((t) => t.key));
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}
