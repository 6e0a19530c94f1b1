import { nextLink } from './link-header.js';
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

/** No answer at all: the server is down or the network is (fetch's bare "Failed to fetch"). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The server cannot be reached right now (it may be restarting, or the network is down).', { cause });
  }
}

type ConnectionListener = (online: boolean) => void;
const connectionListeners = new Set<ConnectionListener>();
let reachable = true;

/** Told when requests start failing for want of a server, and when one gets an answer again. */
export function onConnectionChange(listener: ConnectionListener): () => void {
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

function setReachable(now: boolean): void {
  if (now === reachable) return;
  reachable = now;
  for (const listener of connectionListeners) listener(now);
}

let onUnauthenticated: (error: ApiError) => void = () => undefined;

/** What to do when the token turns out unknown, revoked or expired (go back to sign-in, saying why). */
export function whenUnauthenticated(handler: (error: ApiError) => void): void {
  onUnauthenticated = handler;
}

function headers(token: string | null, extra: Record<string, string> = {}): Record<string, string> {
  return { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
}

/** fetch(), with "no answer" turned into a NetworkError and any answer counted as the server being back. */
async function request(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    setReachable(false);
    throw new NetworkError(error);
  }
  setReachable(true);
  return response;
}

async function failure(response: Response, token: string | null): Promise<ApiError> {
  let problem: Problem = { title: response.statusText, status: response.status };
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not a problem document
  }
  const error = new ApiError(response.status, problem);
  // Only for the signed-in token: a pasted token being refused at sign-in is the form's business.
  if (response.status === 401 && token && token === session.token()) onUnauthenticated(error);
  return error;
}

async function body<T>(response: Response): Promise<T> {
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export async function get<T>(path: string, token = session.token()): Promise<T> {
  const response = await request(path, { headers: headers(token) });
  if (!response.ok) throw await failure(response, token);
  return body<T>(response);
}

/** A download (an export): fetched with the token, which never goes into a URL. */
export async function getBlob(path: string): Promise<Blob> {
  const token = session.token();
  const response = await request(path, { headers: headers(token, { Accept: '*/*' }) });
  if (!response.ok) throw await failure(response, token);
  return response.blob();
}

/** A list answer with the address of its next page (`Link: <…>; rel="next"`), when the server pages it. */
export async function getPage<T>(path: string): Promise<{ items: T[]; next?: string }> {
  const token = session.token();
  const response = await request(path, { headers: headers(token) });
  if (!response.ok) throw await failure(response, token);
  return { items: await body<T[]>(response), next: nextLink(response.headers.get('Link')) };
}

async function send<T>(method: string, path: string, payload: unknown, token: string | null, extra: Record<string, string> = {}): Promise<T> {
  const response = await request(path, {
    method,
    headers: headers(token, { ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }), ...extra }),
    body: payload === undefined ? undefined : JSON.stringify(payload),
  });
  if (!response.ok) throw await failure(response, token);
  return body<T>(response);
}

export const post = <T>(path: string, payload: unknown, token = session.token()) => send<T>('POST', path, payload, token);
export const put = <T>(path: string, payload: unknown, token = session.token()) => send<T>('PUT', path, payload, token);
export const del = (path: string, token = session.token()) => send<void>('DELETE', path, undefined, token);

/**
 * A command on a launch: `revision` goes out as `If-Match` (a 412 when the launch moved on), an
 * `idempotencyKey` as `Idempotency-Key`. Same path as every other request, so a lost server shows
 * the shell's banner and a refused token signs the tab out.
 */
export function command<T>(
  method: 'POST' | 'PATCH',
  path: string,
  payload: unknown,
  { revision, idempotencyKey }: { revision?: number; idempotencyKey?: string } = {},
): Promise<T> {
  return send<T>(method, path, payload, session.token(), {
    ...(revision !== undefined ? { 'If-Match': `"${revision}"` } : {}),
    ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
  });
}

export const me = (token?: string) => get<Principal & { expiresAt?: string; signedInVia?: string }>('/v1/me', token ?? session.token());

/** Whether the server answers at all (no token needed): used to notice it is back. */
export async function serverAnswers(): Promise<boolean> {
  try {
    await request('/health/live', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** Opens an authenticated GET that streams (server-sent events); the caller reads the body. */
export async function openStream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const token = session.token();
  const response = await request(path, { headers: headers(token, { Accept: 'text/event-stream' }), signal, cache: 'no-store' });
  if (!response.ok || !response.body) throw await failure(response, token);
  return response.body;
}
