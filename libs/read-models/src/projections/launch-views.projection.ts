import type { RecordedEvent } from '#event-store';
import { evolve, initialState, LAUNCH_STREAM_PREFIX, readinessPercent, toLaunchEvent, type Actor, type Launch, type Task, type TaskOwner } from '#launch';
import type { Projection, ViewUnitOfWork } from '../projection.js';
import type { ViewDocument } from '../read-model-store.port.js';

export const LAUNCHES = 'launches';
export const DEPARTMENT_TASKS = 'department_tasks';
export const TASK_COMMENTS = 'task_comments';

/**
 * The launch summary view: the launch as its events made it, plus its stream revision and its
 * readiness percent (stored so lists sort by it in the store; views built before it lack it).
 */
export type LaunchView = ViewDocument & Launch & { revision: number; readinessPercent?: number };

/** The department inbox view: one document per task, with what the inbox shows of its launch. */
export interface DepartmentTaskView extends ViewDocument {
  launchId: string;
  launchName: string;
  launchStatus: Launch['status'];
  targetDate: string;
  taskId: string;
  title: string;
  kind: Task['kind'];
  department: Task['department'];
  required: boolean;
  dueDate: string;
  status: Task['status'];
  /** Absent in views stored before owners existed: read it as `owner ?? null`. */
  owner?: TaskOwner | null;
  /** The owner's address in lower case, for case-insensitive lookups (`GET /v1/tasks?owner=`). */
  ownerEmail?: string | null;
}

/** One comment on a task, oldest first by `revision`. */
export interface TaskCommentView extends ViewDocument {
  launchId: string;
  taskId: string;
  commentId: string;
  text: string;
  author: Pick<Actor, 'id' | 'name' | 'role'>;
  at: string;
  revision: number;
}

/** Builds the launch summaries (readiness is derived from them at read time) and the department inboxes. */
export const launchViewsProjection: Projection = {
  name: 'launch-views',
  collections: {
    // The lists' sort orders (see apps/api list-launches and the department inbox) each have an index.
    [LAUNCHES]: [['status'], ['tier'], ['targetDate'], ['targetDate', 'name'], ['name'], ['readinessPercent', 'targetDate']],
    [DEPARTMENT_TASKS]: [
      ['department', 'dueDate'],
      ['department', 'status', 'dueDate'],
      ['launchId'],
      ['department', 'targetDate'],
      ['department', 'launchName'],
      ['ownerEmail', 'dueDate'],
    ],
    [TASK_COMMENTS]: [['launchId', 'taskId', 'revision']],
  },
  async apply(event: RecordedEvent, views: ViewUnitOfWork): Promise<void> {
    const launchEvent = event.streamId.startsWith(LAUNCH_STREAM_PREFIX) ? toLaunchEvent(event) : null;
    if (!launchEvent) return;
    const launchId = event.streamId.slice(LAUNCH_STREAM_PREFIX.length);
    const before = await views.get<LaunchView>(LAUNCHES, launchId);
    if (before && before.position >= event.position) return;
    // Fields first, then spreads, then assignments: a spread followed by new fields makes V8 build
    // each object the slow way (several µs per event; see specWith in evolve).
    const state = evolve(before ? { exists: true, ...before } : initialState, launchEvent, {
      occurredAt: String(event.metadata.occurredAt ?? event.recordedAt),
      actor: event.metadata.actor as Actor,
    });
    if (!state.exists) return;
    if (launchEvent.type === 'TaskCommented') views.put(TASK_COMMENTS, commentView(launchId, event, launchEvent.data));
    const { exists: _exists, ...launch } = state;
    const view = launch as LaunchView;
    view.id = launchId;
    view.revision = event.revision;
    view.position = event.position;
    view.readinessPercent = readinessPercent(view.tasks);
    views.put(LAUNCHES, view);
    const launchChanged = !before || before.name !== view.name || before.targetDate !== view.targetDate || before.status !== view.status;
    // evolve keeps the order of tasks and the identity of those it did not change.
    view.tasks.forEach((task, i) => {
      if (launchChanged || before?.tasks[i] !== task) views.put(DEPARTMENT_TASKS, taskView(view, task));
    });
  },
};

function taskView(launch: LaunchView, task: Task): DepartmentTaskView {
  return {
    id: task.taskId,
    position: launch.position,
    launchId: launch.launchId,
    launchName: launch.name,
    launchStatus: launch.status,
    targetDate: launch.targetDate,
    taskId: task.taskId,
    title: task.title,
    kind: task.kind,
    department: task.department,
    required: task.required,
    dueDate: task.dueDate,
    status: task.status,
    owner: task.owner ?? null,
    ownerEmail: task.owner ? task.owner.email.toLowerCase() : null,
  };
}

function commentView(launchId: string, event: RecordedEvent, data: { taskId: string; commentId: string; text: string; at: string }): TaskCommentView {
  const actor = event.metadata.actor as Actor;
  return {
    id: data.commentId,
    position: event.position,
    launchId,
    taskId: data.taskId,
    commentId: data.commentId,
    text: data.text,
    author: { id: actor.id, name: actor.name, role: actor.role },
    at: data.at,
    revision: event.revision,
  };
}
