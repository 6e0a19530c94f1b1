/** The `WORKERS` setting was not understood; the start is refused with this message. */
export class WorkersSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkersSettingError';
  }
}

export const MAX_WORKERS = 64;

/** `WORKERS`: how many API processes serve the port. Unset, empty or 1: one process, no cluster. */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new WorkersSettingError(`WORKERS must be a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(value)}`);
  }
  return workers;
}

/** Messages between the primary and its workers. */
export const LISTENING = 'launch-control:listening';
export const STOP = 'launch-control:stop';

export interface ListeningMessage {
  type: typeof LISTENING;
  port: number;
}

export const isListening = (message: unknown): message is ListeningMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === LISTENING;

/** The delay before restarting a worker that died `failures` times in a row: 250 ms doubling, at most 30 s. */
export function restartDelay(failures: number): number {
  return Math.min(30_000, 250 * 2 ** Math.min(Math.max(failures - 1, 0), 10));
}
