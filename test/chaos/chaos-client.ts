/** What the harness sent and what came back: an answer, or nothing (the connection was cut). */
export interface Exchange {
  method: 'POST' | 'GET';
  path: string;
  token: string;
  body?: unknown;
  idempotencyKey?: string;
  status?: number;
  answer?: unknown;
  /** The answer's `ETag`, `Location` and `Idempotent-Replayed` headers, where present. */
  headers?: { etag?: string; location?: string; replayed?: string };
  /** The process that answered (or did not). */
  baseUrl?: string;
  /** True when no answer arrived (the server was killed, refused the connection, or timed out). */
  lost: boolean;
}

export type Request = Omit<Exchange, 'lost' | 'status' | 'answer' | 'headers' | 'baseUrl'>;

/** A thin fetch client for the server under test; a cut connection is an outcome, not an error. */
export class ChaosClient {
  constructor(private readonly baseUrl: () => string) {}

  async send(request: Request, timeoutMs = 10_000, baseUrl = this.baseUrl()): Promise<Exchange> {
    const headers: Record<string, string> = { Authorization: `Bearer ${request.token}` };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
    try {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      const answerHeaders = {
        ...(response.headers.has('etag') && { etag: response.headers.get('etag')! }),
        ...(response.headers.has('location') && { location: response.headers.get('location')! }),
        ...(response.headers.has('idempotent-replayed') && { replayed: response.headers.get('idempotent-replayed')! }),
      };
      return { ...request, status: response.status, answer: text ? parseJson(text) : undefined, headers: answerHeaders, baseUrl, lost: false };
    } catch {
      return { ...request, baseUrl, lost: true };
    }
  }
}

/** A non-JSON answer is kept as text, so a harness reports it instead of crashing on it. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
