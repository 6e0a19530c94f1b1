export interface IdempotentAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Fingerprint of the request that got this answer (absent on answers kept by older versions). */
  requestHash?: string;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** First answers of commands refused (4xx) under an `Idempotency-Key`, per principal and key. */
export interface IdempotencyStore {
  get(principalId: string, key: string): Promise<IdempotentAnswer | null>;
  /** Keeps the first answer: a later put for the same key changes nothing. */
  put(principalId: string, key: string, answer: IdempotentAnswer): Promise<void>;
}
