import type { Department } from './departments.js';
import type { LaunchPolicy, TaskOwner, TaskSpec } from './events.js';
import type { Tier } from './tiers.js';

export type LaunchStatus = 'planning' | 'go' | 'no-go' | 'launched' | 'cancelled';
export type TaskStatus = 'open' | 'blocked' | 'completed' | 'waived' | 'stale';

/** A task as a launch holds it: as it was specified, plus where its sign-off stands. */
export interface Task extends TaskSpec {
  status: TaskStatus;
  /** Who does the task; null until assigned. Views stored before owners existed lack it: read it as `owner ?? null`. */
  owner: TaskOwner | null;
  completedAt?: string;
  completedBy?: string;
  completedByName?: string;
  note?: string;
  evidenceUrl?: string;
  details?: Record<string, unknown>;
  blockedReason?: string;
  waivedReason?: string;
  /** Why a completed sign-off became stale. */
  invalidatedReason?: string;
}

export interface Vote {
  department: Department;
  vote: 'go' | 'no-go';
  note?: string;
  votedBy: string;
  votedByName: string;
  votedAt: string;
}

export interface Decision {
  decision: 'go' | 'no-go';
  note?: string;
  decidedBy: string;
  decidedByName: string;
  decidedAt: string;
}

export interface Launch {
  launchId: string;
  name: string;
  product: string;
  description?: string;
  tier: Tier;
  targetDate: string;
  status: LaunchStatus;
  templateVersion: string;
  createdAt: string;
  updatedAt: string;
  tasks: Task[];
  policy?: LaunchPolicy;
  /** The latest vote of each department that voted. */
  votes?: Vote[];
  /** The latest go/no-go decision. */
  decision?: Decision;
}

/** The fold of a launch stream: nothing yet, or the launch as its events made it. */
export type LaunchState = { exists: false } | ({ exists: true } & Launch);

export const initialState: LaunchState = { exists: false };

/** A task is done when its sign-off stands: completed or waived (a stale sign-off does not count). */
export function isDone(task: Task): boolean {
  return task.status === 'completed' || task.status === 'waived';
}
