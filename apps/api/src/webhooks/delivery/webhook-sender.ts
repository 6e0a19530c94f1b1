export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborted when the delivery is no longer wanted (shutdown, replay, deletion). */
  signal: AbortSignal;
}

/** Sends one POST; answers the receiver's HTTP status, or throws on a connection error or timeout. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<{ status: number }>;
}
