import type { Department } from './departments.js';
import type { TaskKind } from './task-kinds.js';
import type { Tier } from './tiers.js';

export interface TaskSpec {
  taskId: string;
  key: string;
  title: string;
  department: Department;
  kind: TaskKind;
  required: boolean;
  dueDate: string;
  /** Tasks (ids) whose sign-off must stand before this one can be completed. */
  dependsOn?: string[];
}

/** The named person who does a task (its department stays accountable). */
export interface TaskOwner {
  name: string;
  email: string;
}

export interface LaunchPolicy {
  /** `go` needs a go vote from every department with required tasks. */
  requireGoVotes: boolean;
}

export interface Completion {
  taskId: string;
  note?: string;
  evidenceUrl?: string;
  details?: Record<string, unknown>;
}

type Event<Type extends string, Data> = { type: Type; data: Data };

export type LaunchCreated = Event<
  'LaunchCreated',
  {
    launchId: string;
    name: string;
    product: string;
    description?: string;
    tier: Tier;
    targetDate: string;
    templateVersion: string;
    policy?: LaunchPolicy;
    tasks: TaskSpec[];
  }
>;
export type TaskAdded = Event<'TaskAdded', TaskSpec>;
export type MessagingApproved = Event<'MessagingApproved', Completion>;
export type SalesTrained = Event<'SalesTrained', Completion>;
export type PrScheduled = Event<'PrScheduled', Completion>;
export type PricingApproved = Event<'PricingApproved', Completion>;
export type SupportTrained = Event<'SupportTrained', Completion>;
export type DocumentationPublished = Event<'DocumentationPublished', Completion>;
export type ReleaseApproved = Event<'ReleaseApproved', Completion>;
export type TaskCompleted = Event<'TaskCompleted', Completion>;
export type TaskBlocked = Event<'TaskBlocked', { taskId: string; reason: string }>;
export type TaskUnblocked = Event<'TaskUnblocked', { taskId: string; note?: string }>;
export type TaskWaived = Event<'TaskWaived', { taskId: string; reason: string }>;
export type TaskReopened = Event<'TaskReopened', { taskId: string; reason: string }>;
export type TaskRescheduled = Event<'TaskRescheduled', { taskId: string; dueDate: string; previousDueDate: string }>;
/** A completed sign-off no longer stands because a task it depends on was reopened. */
export type SignOffInvalidated = Event<'SignOffInvalidated', { taskId: string; invalidatedBy: string; reason: string }>;
export type VoteCast = Event<'VoteCast', { department: Department; vote: 'go' | 'no-go'; note?: string }>;
export type TaskRenamed = Event<'TaskRenamed', { taskId: string; title: string; previousTitle: string }>;
export type TaskAssigned = Event<'TaskAssigned', { taskId: string; owner: TaskOwner; previousOwner: TaskOwner | null }>;
export type TaskUnassigned = Event<'TaskUnassigned', { taskId: string; previousOwner: TaskOwner }>;
/** `at` is the instant the comment was made (also the event's `occurredAt`), so the comment is whole in its data. */
export type TaskCommented = Event<'TaskCommented', { taskId: string; commentId: string; text: string; at: string }>;
export type LaunchDetailField = 'name' | 'product' | 'description';
/** Only the fields that changed; `from` is absent when the launch had no description. */
export type LaunchDetailsEdited = Event<'LaunchDetailsEdited', { changes: Partial<Record<LaunchDetailField, { from?: string; to: string }>> }>;
export type LaunchRescheduled = Event<'LaunchRescheduled', { targetDate: string; previousTargetDate: string; reason: string }>;
export type GoDecided = Event<'GoDecided', { note?: string }>;
export type NoGoDecided = Event<'NoGoDecided', { note?: string; openRequiredTasks: string[] }>;
export type LaunchCompleted = Event<'LaunchCompleted', { note?: string }>;
export type LaunchCancelled = Event<'LaunchCancelled', { reason: string }>;

export type CompletionEvent =
  MessagingApproved | SalesTrained | PrScheduled | PricingApproved | SupportTrained | DocumentationPublished | ReleaseApproved | TaskCompleted;

export type LaunchEvent =
  | LaunchCreated
  | TaskAdded
  | CompletionEvent
  | TaskBlocked
  | TaskUnblocked
  | TaskWaived
  | TaskReopened
  | TaskRescheduled
  | TaskRenamed
  | TaskAssigned
  | TaskUnassigned
  | TaskCommented
  | LaunchDetailsEdited
  | SignOffInvalidated
  | VoteCast
  | LaunchRescheduled
  | GoDecided
  | NoGoDecided
  | LaunchCompleted
  | LaunchCancelled;

export type LaunchEventType = LaunchEvent['type'];

export const LAUNCH_EVENT_TYPES: readonly LaunchEventType[] = [
  'LaunchCreated',
  'TaskAdded',
  'MessagingApproved',
  'SalesTrained',
  'PrScheduled',
  'PricingApproved',
  'SupportTrained',
  'DocumentationPublished',
  'ReleaseApproved',
  'TaskCompleted',
  'TaskBlocked',
  'TaskUnblocked',
  'TaskWaived',
  'TaskReopened',
  'TaskRescheduled',
  'TaskRenamed',
  'TaskAssigned',
  'TaskUnassigned',
  'TaskCommented',
  'LaunchDetailsEdited',
  'SignOffInvalidated',
  'VoteCast',
  'LaunchRescheduled',
  'GoDecided',
  'NoGoDecided',
  'LaunchCompleted',
  'LaunchCancelled',
];

export function isLaunchEventType(type: string): type is LaunchEventType {
  return (LAUNCH_EVENT_TYPES as readonly string[]).includes(type);
}

export const launchStreamId = (launchId: string): string => `launch-${launchId}`;
export const LAUNCH_STREAM_PREFIX = 'launch-';
