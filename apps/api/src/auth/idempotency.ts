export interface IdempotentAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** First answers to commands sent with an `Idempotency-Key`, per principal and key. */
export interface IdempotencyStore {
  get(principalId: string, key: string): Promise<IdempotentAnswer | null>;
  /** Keeps the first answer: a later put for the same key changes nothing. */
  put(principalId: string, key: string, answer: IdempotentAnswer): Promise<void>;
}
