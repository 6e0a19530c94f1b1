import { ApiError, command, NetworkError } from './api.js';

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
export async function sendCommand(method: 'POST' | 'PATCH', path: string, body: unknown, revision?: number, idempotencyKey?: string): Promise<CommandResult> {
  try {
    return await command<CommandResult>(method, path, body, { revision, idempotencyKey });
  } catch (error) {
    if (error instanceof NetworkError)
      throw new Error(
        'The server could not be reached, so the answer is unknown. Try again: a command that did arrive is not repeated (the launch moved on, so the retry is refused as changed meanwhile).',
        { cause: error },
      );
    if (error instanceof ApiError && error.status === 412) throw new ChangedMeanwhile(412, error.problem);
    throw error;
  }
}

export const CHANGED_MEANWHILE_MESSAGE =
  'This launch changed meanwhile (someone else acted on it), so nothing was done. The room has been reloaded with the latest state: check it and try again.';

/**
 * One Idempotency-Key per distinct request of a form: a retry of the same request after a lost
 * answer gets the first answer back instead of creating twice; a changed request gets a new key
 * (the API refuses a key reused for a different body).
 */
export function idempotencyKeys(): (body: unknown) => string {
  let last: { body: string; key: string } | undefined;
  return (body) => {
    const text = JSON.stringify(body);
    if (last?.body !== text) last = { body: text, key: `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}` };
    return last.key;
  };
}
