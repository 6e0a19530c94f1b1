export interface SqliteEventStoreOptions {
  /** Database file; its folder is created if missing. */
  filename: string;
  /** How often idle subscriptions look for appends made by other processes. Default 200 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** How often the WAL is checkpointed into the database file. Default 1000 ms. */
  checkpointIntervalMs?: number;
  /** Appends are flushed at once when this many are queued. Default 1000. */
  maxAppendsPerTransaction?: number;
  /**
   * Size quota of the database file (rounded down to whole pages). Appends that would grow the
   * file past it fail with EventStoreUnavailableError, as on a full disk. Default: no quota.
   */
  maxSizeBytes?: number;
  /**
   * The WAL's size past which the append worker has it start over (checkpointing what is left), and
   * the size it is truncated back to then. Default 64 MiB.
   */
  maxWalBytes?: number;
  /**
   * Opened only to read, beside the instance that writes the file (a projector thread): no append
   * worker, no WAL checkpointer, no migration; `append` fails. The writer's commits reach its
   * subscriptions through `notifyCommitted()` (or the poll timer).
   */
  reader?: boolean;
}
