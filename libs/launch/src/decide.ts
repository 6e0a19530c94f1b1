import type { Actor } from './actor.js';
import type { LaunchCommand } from './commands.js';
import { addDays, isIsoDate } from './dates.js';
import { isDepartment, type Department } from './departments.js';
import { Forbidden, NotFound, StateConflict, ValidationFailed, type FieldError } from './errors.js';
import type { LaunchEvent, TaskSpec } from './events.js';
import { authorize } from './permissions.js';
import { isDone, type Launch, type LaunchState, type Task } from './state.js';
import { COMPLETION_EVENTS, isTaskKind, validateDetails } from './task-kinds.js';
import { isTier, templateFor, type TierTemplate } from './templates.js';

export interface DecideContext {
  actor: Actor;
  now: Date;
  /** Supplies ids for new tasks, so that the same inputs give the same events. */
  newId: () => string;
  templates: readonly TierTemplate[];
}

/** Decides which events a command records on a launch, or throws the domain error that refuses it. */
export function decide(command: LaunchCommand, state: LaunchState, context: DecideContext): LaunchEvent[] {
  authorize(context.actor, command.type);
  if (command.type === 'CreateLaunch') {
    if (state.exists) throw new StateConflict(`launch ${command.data.launchId} already exists`);
    return createLaunch(command.data, context);
  }
  if (!state.exists) throw new NotFound('no such launch');
  const launch: Launch = state;
  if (launch.status === 'cancelled') throw new StateConflict('the launch is cancelled; it accepts no further commands');
  if (launch.status === 'launched') throw new StateConflict('the launch has launched; it accepts no further commands');

  switch (command.type) {
    case 'AddTask':
      return [{ type: 'TaskAdded', data: newTask(launch, command.data, context.newId()) }];
    case 'CompleteTask': {
      const task = ownTask(launch, command.data.taskId, context.actor);
      const errors = validateDetails(task.kind, command.data.details);
      if (errors.length > 0) throw new ValidationFailed(`details do not fit a ${task.kind} task`, errors);
      if (task.status === 'completed') throw new StateConflict('the task is already completed');
      if (task.status === 'waived') throw new StateConflict('the task is waived; reopen it first');
      if (task.status === 'blocked') throw new StateConflict('the task is blocked; unblock it first');
      const waitingFor = unmetDependencies(launch, task);
      if (waitingFor.length > 0) {
        throw new StateConflict(`the task depends on ${waitingFor.map((t) => `${t.key} (${t.status})`).join(', ')}, not yet signed off`);
      }
      const { taskId, note, evidenceUrl, details } = command.data;
      const data = {
        taskId,
        ...(note !== undefined && { note }),
        ...(evidenceUrl !== undefined && { evidenceUrl }),
        ...(details !== undefined && task.kind !== 'generic' && { details }),
      };
      return [{ type: COMPLETION_EVENTS[task.kind], data }];
    }
    case 'BlockTask': {
      const task = ownTask(launch, command.data.taskId, context.actor);
      if (task.status === 'blocked') throw new StateConflict('the task is already blocked');
      if (isDone(task)) throw new StateConflict(`the task is ${task.status}; reopen it first`);
      return [{ type: 'TaskBlocked', data: { taskId: task.taskId, reason: command.data.reason } }];
    }
    case 'UnblockTask': {
      const task = ownTask(launch, command.data.taskId, context.actor);
      if (task.status !== 'blocked') throw new StateConflict(`the task is ${task.status}, not blocked`);
      const { note } = command.data;
      return [{ type: 'TaskUnblocked', data: { taskId: task.taskId, ...(note !== undefined && { note }) } }];
    }
    case 'WaiveTask': {
      const task = existingTask(launch, command.data.taskId);
      if (isDone(task)) throw new StateConflict(`the task is already ${task.status}`);
      return [{ type: 'TaskWaived', data: { taskId: task.taskId, reason: command.data.reason } }];
    }
    case 'ReopenTask': {
      const task = existingTask(launch, command.data.taskId);
      if (task.status === 'open' || task.status === 'blocked') throw new StateConflict(`the task is ${task.status}; only a signed-off task can be reopened`);
      const invalidated = dependentSignOffs(launch, task.taskId).map(
        (dependent): LaunchEvent => ({
          type: 'SignOffInvalidated',
          data: { taskId: dependent.taskId, invalidatedBy: task.taskId, reason: `${task.key} was reopened: ${command.data.reason}` },
        }),
      );
      return [{ type: 'TaskReopened', data: { taskId: task.taskId, reason: command.data.reason } }, ...invalidated];
    }
    case 'UpdateTask': {
      const task = existingTask(launch, command.data.taskId);
      const { dueDate, title } = command.data;
      if (dueDate === undefined && title === undefined) throw new ValidationFailed('nothing to change: send dueDate or title');
      if (dueDate !== undefined) assertDate('dueDate', dueDate);
      const events: LaunchEvent[] = [];
      if (dueDate !== undefined && dueDate !== task.dueDate) {
        events.push({ type: 'TaskRescheduled', data: { taskId: task.taskId, dueDate, previousDueDate: task.dueDate } });
      }
      if (title !== undefined && title !== task.title) {
        events.push({ type: 'TaskRenamed', data: { taskId: task.taskId, title, previousTitle: task.title } });
      }
      return events;
    }
    case 'RescheduleLaunch': {
      assertDate('targetDate', command.data.targetDate);
      if (command.data.targetDate === launch.targetDate) return [];
      return [
        {
          type: 'LaunchRescheduled',
          data: { targetDate: command.data.targetDate, previousTargetDate: launch.targetDate, reason: command.data.reason },
        },
      ];
    }
    case 'DecideGoNoGo': {
      const { decision, note } = command.data;
      if (decision !== 'go' && decision !== 'no-go') throw new ValidationFailed('decision must be go or no-go', [{ field: 'decision', message: 'must be go or no-go' }]);
      if (launch.status === decision) throw new StateConflict(`the launch is already ${decision}`);
      const outstanding = outstandingRequired(launch);
      if (decision === 'go') {
        if (outstanding.length > 0) {
          throw new StateConflict(`go refused: ${outstanding.length} required task(s) not done: ${outstanding.map((t) => `${t.key} (${t.status})`).join(', ')}`);
        }
        const missing = launch.policy?.requireGoVotes ? missingGoVotes(launch) : [];
        if (missing.length > 0) throw new StateConflict(`go refused: the policy needs a go vote from ${missing.join(', ')}`);
        return [{ type: 'GoDecided', data: { ...(note !== undefined && { note }) } }];
      }
      return [{ type: 'NoGoDecided', data: { ...(note !== undefined && { note }), openRequiredTasks: outstanding.map((t) => t.taskId) } }];
    }
    case 'MarkLaunched': {
      if (launch.status !== 'go') throw new StateConflict(`the launch is ${launch.status}; only a launch decided go can launch`);
      const outstanding = outstandingRequired(launch);
      if (outstanding.length > 0) throw new StateConflict(`${outstanding.length} required task(s) were reopened or blocked since the go decision`);
      const { note } = command.data;
      return [{ type: 'LaunchCompleted', data: { ...(note !== undefined && { note }) } }];
    }
    case 'CancelLaunch':
      return [{ type: 'LaunchCancelled', data: { reason: command.data.reason } }];
    case 'CastVote': {
      const { vote, note } = command.data;
      if (vote !== 'go' && vote !== 'no-go') throw new ValidationFailed('vote must be go or no-go', [{ field: 'vote', message: 'must be go or no-go' }]);
      const department = context.actor.role === 'department' ? context.actor.department : command.data.department;
      if (!department) throw new ValidationFailed('an admin votes on behalf of a department: name it', [{ field: 'department', message: 'is required' }]);
      if (context.actor.role === 'department' && command.data.department !== undefined && command.data.department !== department) {
        throw new Forbidden(`${department} may vote only for itself`);
      }
      if (!votingDepartments(launch).includes(department)) throw new Forbidden(`${department} has no required task in this launch, so it has no vote`);
      return [{ type: 'VoteCast', data: { department, vote, ...(note !== undefined && { note }) } }];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`decide: unhandled command ${(unhandled as LaunchCommand).type}`);
    }
  }
}

function createLaunch(data: Extract<LaunchCommand, { type: 'CreateLaunch' }>['data'], context: DecideContext): LaunchEvent[] {
  assertDate('targetDate', data.targetDate);
  if (!isTier(data.tier)) throw new ValidationFailed('tier must be 1, 2 or 3', [{ field: 'tier', message: 'must be 1, 2 or 3' }]);
  const template = templateFor(context.templates, data.tier);
  const ids = new Map(template.tasks.map((t) => [t.key, context.newId()]));
  const tasks: TaskSpec[] = template.tasks.map((t) => ({
    taskId: ids.get(t.key)!,
    key: t.key,
    title: t.title,
    department: t.department,
    kind: t.kind,
    required: t.required,
    dueDate: addDays(data.targetDate, -t.dueDaysBeforeLaunch),
    ...(t.dependsOn?.length && { dependsOn: t.dependsOn.map((key) => ids.get(key)!) }),
  }));
  const { description } = data;
  return [
    {
      type: 'LaunchCreated',
      data: {
        launchId: data.launchId,
        name: data.name,
        product: data.product,
        ...(description !== undefined && { description }),
        tier: data.tier,
        targetDate: data.targetDate,
        templateVersion: template.version,
        ...(template.policy && { policy: template.policy }),
        tasks,
      },
    },
  ];
}

function newTask(launch: Launch, data: Extract<LaunchCommand, { type: 'AddTask' }>['data'], taskId: string): TaskSpec {
  const errors: FieldError[] = [];
  if (!isDepartment(data.department)) errors.push({ field: 'department', message: 'must be a department key' });
  if (data.kind !== undefined && !isTaskKind(data.kind)) errors.push({ field: 'kind', message: 'must be a task kind' });
  if (data.dueDate !== undefined && !isIsoDate(data.dueDate)) errors.push({ field: 'dueDate', message: 'must be a date YYYY-MM-DD' });
  const unknown = (data.dependsOn ?? []).filter((id) => !launch.tasks.some((t) => t.taskId === id));
  if (unknown.length > 0) errors.push({ field: 'dependsOn', message: `names no task of this launch: ${unknown.join(', ')}` });
  if (errors.length > 0) throw new ValidationFailed('the task is not valid', errors);
  const dependsOn = [...new Set(data.dependsOn ?? [])];
  return {
    taskId,
    key: uniqueKey(launch, data.title),
    title: data.title,
    department: data.department,
    kind: data.kind ?? 'generic',
    required: data.required ?? true,
    dueDate: data.dueDate ?? launch.targetDate,
    ...(dependsOn.length > 0 && { dependsOn }),
  };
}

function unmetDependencies(launch: Launch, task: Task): Task[] {
  return (task.dependsOn ?? []).map((id) => existingTask(launch, id)).filter((dependency) => !isDone(dependency));
}

/** Completed tasks that depend, directly or through other such tasks, on the one being reopened. */
function dependentSignOffs(launch: Launch, reopenedId: string): Task[] {
  const invalid = new Set([reopenedId]);
  const found: Task[] = [];
  for (let grew = true; grew; ) {
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

/** The departments with at least one required task: the ones that vote. */
export function votingDepartments(launch: Launch): Department[] {
  return [...new Set(launch.tasks.filter((t) => t.required).map((t) => t.department))];
}

export function missingGoVotes(launch: Launch): Department[] {
  const goes = new Set((launch.votes ?? []).filter((v) => v.vote === 'go').map((v) => v.department));
  return votingDepartments(launch).filter((department) => !goes.has(department));
}

function uniqueKey(launch: Launch, title: string): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'task';
  const taken = new Set(launch.tasks.map((t) => t.key));
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

function existingTask(launch: Launch, taskId: string): Task {
  const task = launch.tasks.find((t) => t.taskId === taskId);
  if (!task) throw new NotFound('no such task in this launch');
  return task;
}

/** A department principal may act only on its own department's tasks. */
function ownTask(launch: Launch, taskId: string, actor: Actor): Task {
  const task = existingTask(launch, taskId);
  if (actor.role === 'department' && actor.department !== task.department) {
    throw new Forbidden(`this task belongs to ${task.department}; ${actor.department ?? 'this principal'} may not act on it`);
  }
  return task;
}

function outstandingRequired(launch: Launch): Task[] {
  return launch.tasks.filter((t) => t.required && !isDone(t));
}

function assertDate(field: string, value: string): void {
  if (!isIsoDate(value)) throw new ValidationFailed(`${field} must be a date YYYY-MM-DD`, [{ field, message: 'must be a date YYYY-MM-DD' }]);
}
