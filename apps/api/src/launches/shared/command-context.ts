import type { Actor } from '#launch';

/** What a command carries besides its data: who sends it and how. */
export interface CommandContext {
  actor: Actor;
  /** The launch revision the caller expects (`If-Match`). */
  ifMatch?: number;
  idempotencyKey?: string;
  /** With a key: the fingerprint of the request (method, path, body), so a key reused for another request is told apart. */
  requestHash?: string;
  correlationId: string;
  /** Id of the request that caused the events. */
  causationId: string;
}

export interface CommandResult {
  launchId: string;
  revision: number;
  position: number;
}
