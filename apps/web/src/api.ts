import { session } from './session.js';
import type { Principal, Problem } from './types.js';

/** An answer other than 2xx, with the RFC 9457 problem document when the API sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The message for one field (`reason`, `details.version`…), if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.problem.errors?.find((error) => error.field === field)?.message;
  }
}

let onUnauthenticated: () => void = () => undefined;

/** What to do when the token turns out unknown or revoked (go back to sign-in). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

function headers(token: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

async function failure(response: Response): Promise<ApiError> {
  let problem: Problem = { title: response.statusText, status: response.status };
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not a problem document
  }
  if (response.status === 401) onUnauthenticated();
  return new ApiError(response.status, problem);
}

export async function get<T>(path: string, token = session.token()): Promise<T> {
  const response = await fetch(path, { headers: headers(token) });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export async function post<T>(path: string, body: unknown, token = session.token()): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: headers(token, { 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const me = (token?: string) => get<Principal>('/v1/me', token ?? session.token());

/** Opens an authenticated GET that streams (server-sent events); the caller reads the body. */
export async function openStream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(path, { headers: headers(session.token(), { Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  if (!response.ok || !response.body) throw await failure(response);
  return response.body;
}
