import type { Actor } from './actor.js';
import { addDays, daysBetween } from './dates.js';
import type { CompletionEvent, LaunchEvent, TaskSpec } from './events.js';
import type { Launch, LaunchState, Task } from './state.js';

/** When and by whom an event happened: what evolve needs of its metadata. */
export interface EventContext {
  occurredAt: string;
  actor: Pick<Actor, 'id' | 'name'>;
}

/** What evolve needs of a stored event: its metadata's actor and instant (else when it was recorded). */
export function eventContext(event: { metadata: Record<string, unknown>; recordedAt: string }): EventContext {
  const actor = (event.metadata.actor ?? { id: 'unknown', name: 'unknown' }) as EventContext['actor'];
  return { occurredAt: String(event.metadata.occurredAt ?? event.recordedAt), actor };
}

const COMPLETION_TYPES: ReadonlySet<string> = new Set<CompletionEvent['type']>([
  'MessagingApproved',
  'SalesTrained',
  'PrScheduled',
  'PricingApproved',
  'SupportTrained',
  'DocumentationPublished',
  'ReleaseApproved',
  'TaskCompleted',
]);

export function isCompletionEvent(event: LaunchEvent): event is CompletionEvent {
  return COMPLETION_TYPES.has(event.type);
}

/**
 * The task as specified, with `status` and no sign-off outcome, as one object literal. This runs for
 * most events of every fold, and in V8 copying a task with a spread and adding fields to the copy
 * (`{ ...spec, status }`) is about 200 times slower than a literal whose shape is known in advance.
 * Outcome fields are added to the result by plain assignment.
 */
function specWith(task: TaskSpec & { owner?: Task['owner'] }, status: Task['status']): Task {
  const { taskId, key, title, department, kind, required, dueDate, dependsOn } = task;
  const owner = task.owner ?? null;
  return dependsOn === undefined
    ? { taskId, key, title, department, kind, required, dueDate, status, owner }
    : { taskId, key, title, department, kind, required, dueDate, dependsOn, status, owner };
}

function updateTask(launch: Launch, taskId: string, change: (task: Task) => Task): Task[] {
  return launch.tasks.map((task) => (task.taskId === taskId ? change(task) : task));
}

/** Applies one event to the state. Pure: the same events always fold to the same state. */
export function evolve(state: LaunchState, event: LaunchEvent, context: EventContext): LaunchState {
  if (event.type === 'LaunchCreated') {
    const { tasks, ...launch } = event.data;
    return {
      exists: true,
      ...launch,
      status: 'planning',
      createdAt: context.occurredAt,
      updatedAt: context.occurredAt,
      tasks: tasks.map((task) => specWith(task, 'open')),
      votes: [],
    };
  }
  if (!state.exists) return state;
  const launch: Launch = state;
  const next = (changes: Partial<Launch>): LaunchState => ({ ...state, updatedAt: context.occurredAt, ...changes });

  if (isCompletionEvent(event)) {
    const { taskId, note, evidenceUrl, details } = event.data;
    return next({
      tasks: updateTask(launch, taskId, (task) => {
        const completed = specWith(task, 'completed');
        completed.completedAt = context.occurredAt;
        completed.completedBy = context.actor.id;
        completed.completedByName = context.actor.name;
        if (note !== undefined) completed.note = note;
        if (evidenceUrl !== undefined) completed.evidenceUrl = evidenceUrl;
        if (details !== undefined) completed.details = details;
        return completed;
      }),
    });
  }

  switch (event.type) {
    case 'TaskAdded':
      return next({ tasks: [...launch.tasks, specWith(event.data, 'open')] });
    case 'TaskBlocked':
      return next({
        tasks: updateTask(launch, event.data.taskId, (task) => {
          const blocked = specWith(task, 'blocked');
          blocked.blockedReason = event.data.reason;
          return blocked;
        }),
      });
    case 'TaskUnblocked':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => specWith(task, 'open')) });
    case 'TaskWaived':
      return next({
        tasks: updateTask(launch, event.data.taskId, (task) => {
          const waived = specWith(task, 'waived');
          waived.waivedReason = event.data.reason;
          return waived;
        }),
      });
    case 'TaskReopened':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => specWith(task, 'open')) });
    case 'TaskRescheduled':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => ({ ...task, dueDate: event.data.dueDate })) });
    case 'TaskRenamed':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => ({ ...task, title: event.data.title })) });
    case 'TaskAssigned':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => ({ ...task, owner: event.data.owner })) });
    case 'TaskUnassigned':
      return next({ tasks: updateTask(launch, event.data.taskId, (task) => ({ ...task, owner: null })) });
    case 'TaskCommented':
      // A comment is discussion, not a change to the launch: its text lives in the comment views.
      return state;
    case 'LaunchDetailsEdited': {
      const { name, product, description } = event.data.changes;
      return next({
        ...(name && { name: name.to }),
        ...(product && { product: product.to }),
        ...(description && { description: description.to }),
      });
    }
    case 'LaunchRescheduled': {
      const shift = daysBetween(event.data.previousTargetDate, event.data.targetDate);
      return next({
        targetDate: event.data.targetDate,
        tasks: launch.tasks.map((task) =>
          task.status === 'completed' || task.status === 'waived' ? task : { ...task, dueDate: addDays(task.dueDate, shift) },
        ),
      });
    }
    case 'SignOffInvalidated':
      return next({
        tasks: updateTask(launch, event.data.taskId, (task) => ({ ...task, status: 'stale', invalidatedReason: event.data.reason })),
      });
    case 'VoteCast': {
      const { department, vote, note } = event.data;
      const cast = {
        department,
        vote,
        ...(note !== undefined && { note }),
        votedBy: context.actor.id,
        votedByName: context.actor.name,
        votedAt: context.occurredAt,
      };
      return next({ votes: [...(launch.votes ?? []).filter((v) => v.department !== department), cast] });
    }
    case 'GoDecided':
    case 'NoGoDecided': {
      const decision = event.type === 'GoDecided' ? 'go' : 'no-go';
      const { note } = event.data;
      return next({
        status: decision,
        decision: {
          decision,
          ...(note !== undefined && { note }),
          decidedBy: context.actor.id,
          decidedByName: context.actor.name,
          decidedAt: context.occurredAt,
        },
      });
    }
    case 'LaunchCompleted':
      return next({ status: 'launched' });
    case 'LaunchCancelled':
      return next({ status: 'cancelled' });
    default: {
      const unhandled: never = event;
      throw new Error(`evolve: unhandled event ${(unhandled as LaunchEvent).type}`);
    }
  }
}
