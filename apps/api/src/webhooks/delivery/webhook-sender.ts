export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborted when the delivery is no longer wanted (shutdown, replay, deletion). */
  signal: AbortSignal;
}

/**
 * A failed attempt as the deliveries log may show it: "connection failed", "timed out" or
 * "address not allowed", never the network detail behind it (which port is open, which address
 * a name has, what a TLS handshake said): that stays in `cause`, for the server log only.
 */
export class DeliveryFailed extends Error {
  constructor(message: 'connection failed' | 'timed out' | 'address not allowed', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryFailed';
  }
}

/** Sends one POST; answers the receiver's HTTP status, or throws (a DeliveryFailed) on a connection error or timeout. */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<{ status: number }>;
}
