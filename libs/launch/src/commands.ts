import type { Department } from './departments.js';
import type { TaskOwner } from './events.js';
import type { TaskKind } from './task-kinds.js';
import type { Tier } from './tiers.js';

type Command<Type extends string, Data> = { type: Type; data: Data };

/** `backfill`: the target date may lie in the past (recording a launch after the fact); otherwise that is refused. */
export type CreateLaunch = Command<
  'CreateLaunch',
  { launchId: string; name: string; product: string; targetDate: string; tier: Tier; description?: string; backfill?: boolean }
>;
export type AddTask = Command<
  'AddTask',
  { title: string; department: Department; kind?: TaskKind; required?: boolean; dueDate?: string; dependsOn?: string[] }
>;
export type CompleteTask = Command<'CompleteTask', { taskId: string; note?: string; evidenceUrl?: string; details?: Record<string, unknown> }>;
export type BlockTask = Command<'BlockTask', { taskId: string; reason: string }>;
export type UnblockTask = Command<'UnblockTask', { taskId: string; note?: string }>;
export type WaiveTask = Command<'WaiveTask', { taskId: string; reason: string }>;
export type ReopenTask = Command<'ReopenTask', { taskId: string; reason: string }>;
/** `owner: null` unassigns the task; an absent `owner` leaves it as it is. */
export type UpdateTask = Command<'UpdateTask', { taskId: string; dueDate?: string; title?: string; owner?: TaskOwner | null }>;
export type CommentOnTask = Command<'CommentOnTask', { taskId: string; text: string }>;
export type EditLaunchDetails = Command<'EditLaunchDetails', { name?: string; product?: string; description?: string }>;
export type RescheduleLaunch = Command<'RescheduleLaunch', { targetDate: string; reason: string; backfill?: boolean }>;
export type DecideGoNoGo = Command<'DecideGoNoGo', { decision: 'go' | 'no-go'; note?: string }>;
export type MarkLaunched = Command<'MarkLaunched', { note?: string }>;
export type CancelLaunch = Command<'CancelLaunch', { reason: string }>;
/** A department's go/no-go vote; `department` is needed only when an admin votes on a department's behalf. */
export type CastVote = Command<'CastVote', { vote: 'go' | 'no-go'; note?: string; department?: Department }>;

export type LaunchCommand =
  | CreateLaunch
  | AddTask
  | CompleteTask
  | BlockTask
  | UnblockTask
  | WaiveTask
  | ReopenTask
  | UpdateTask
  | CommentOnTask
  | EditLaunchDetails
  | RescheduleLaunch
  | DecideGoNoGo
  | MarkLaunched
  | CancelLaunch
  | CastVote;

export type LaunchCommandType = LaunchCommand['type'];
