/** Errors of the application layer, mapped to HTTP in to-problem.ts with the domain's. */

export class Unauthenticated extends Error {}

/** `If-Match` names a revision that is not the launch's current one. */
export class PreconditionFailed extends Error {
  constructor(readonly currentRevision: number | undefined) {
    super(
      currentRevision === undefined
        ? 'If-Match was given but the launch does not exist'
        : `If-Match does not match the launch's current revision ${currentRevision}`,
    );
  }
}

/** Concurrent writers kept winning and retries ran out. */
export class ConcurrencyConflict extends Error {}

/** A backing store is down; the client may retry after `retryAfterSeconds`. */
export class ServiceUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/** An Idempotency-Key the principal already used for a different request (IETF Idempotency-Key draft: 422). */
export class IdempotencyKeyReused extends Error {
  constructor() {
    super('this Idempotency-Key was already used for a different request; send a new key for a new request');
  }
}
