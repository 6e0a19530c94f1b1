import { ApiError, me } from './api.js';
import { session } from './session.js';
import type { Problem } from './types.js';

/** What every command on a launch answers (`CommandAnswer`), plus what some add (`warnings` on create). */
export interface CommandResult {
  launchId: string;
  revision: number;
  position: number;
  taskId?: string;
  events: string[];
  warnings?: Array<{ code: string; taskId?: string; title?: string; department?: string; dueDate?: string }>;
}

/** A 412: the launch moved on since the revision the user acted on. */
export class ChangedMeanwhile extends ApiError {}

/**
 * Sends a command on a launch. `revision`: the launch revision the user saw when they chose to act,
 * sent as `If-Match`, so a change made meanwhile by someone else is refused (412) instead of being
 * silently acted over; undefined for a creation, which has no revision yet.
 */
export async function sendCommand(method: 'POST' | 'PATCH', path: string, body: unknown, revision?: number): Promise<CommandResult> {
  const token = session.token();
  const response = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(revision !== undefined ? { 'If-Match': `"${revision}"` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (response.ok) return (await response.json()) as CommandResult;
  let problem: Problem = { title: response.statusText, status: response.status };
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not a problem document
  }
  // The shell reacts to a refused token on its own requests: one more through it lets it notice.
  if (response.status === 401) await me().catch(() => undefined);
  throw response.status === 412 ? new ChangedMeanwhile(412, problem) : new ApiError(response.status, problem);
}

export const CHANGED_MEANWHILE_MESSAGE =
  'This launch changed meanwhile (someone else acted on it), so nothing was done. The room has been reloaded with the latest state: check it and try again.';
