/** What the harness sent and what came back: an answer, or nothing (the connection was cut). */
export interface Exchange {
  method: 'POST' | 'GET';
  path: string;
  token: string;
  body?: unknown;
  idempotencyKey?: string;
  status?: number;
  answer?: unknown;
  /** True when no answer arrived (the server was killed, refused the connection, or timed out). */
  lost: boolean;
}

/** A thin fetch client for the server under test; a cut connection is an outcome, not an error. */
export class ChaosClient {
  constructor(private readonly baseUrl: () => string) {}

  async send(request: Omit<Exchange, 'lost' | 'status' | 'answer'>, timeoutMs = 10_000): Promise<Exchange> {
    const headers: Record<string, string> = { Authorization: `Bearer ${request.token}` };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['Idempotency-Key'] = request.idempotencyKey;
    try {
      const response = await fetch(`${this.baseUrl()}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { ...request, status: response.status, answer: text ? JSON.parse(text) : undefined, lost: false };
    } catch {
      return { ...request, lost: true };
    }
  }
}
