/**
 * An appended event id already belongs to another event and the append is not an idempotent
 * repeat (the ids are not exactly the stream's events at the place the batch would go).
 * Deterministic event ids make retries safe; reusing one for a different event is a bug, so it is
 * reported rather than silently ignored.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    /** Where the id is already stored. */
    readonly existing: { streamId: string; revision: number },
  ) {
    super(`stream ${streamId}: event id ${eventId} already exists ` + `(stream ${existing.streamId}, revision ${existing.revision})`);
    this.name = 'DuplicateEventIdError';
  }
}
