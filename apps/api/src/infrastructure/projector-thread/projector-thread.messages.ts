import type { ProjectorStatus, RebuildStatus } from '#read-models';

/** What the projector thread is started with. */
export interface ProjectorThreadData {
  /** The event log the API's event store writes (read here through a second connection). */
  eventsFile: string;
  /** The read models the API reads (written only here). */
  viewsFile: string;
  /** The leases file (DATA_DIR/leases.sqlite): rebuilds run under the `rebuild` lease. */
  leasesFile: string;
  leaseOwner: string;
  leaseTtlMs: number;
}

export type ToProjectorThread =
  /** The API committed events: read them now rather than at the next poll. */
  { type: 'committed' } | { type: 'rebuild'; id: number } | { type: 'stop' };

export interface ProjectionsSnapshot {
  status: ProjectorStatus & { generation: number };
  rebuild: RebuildStatus;
}

export type FromProjectorThread =
  | { type: 'started' }
  /** What `status()` and `rebuildStatus()` answer now; sent after every commit, switch and rebuild change. */
  | ({ type: 'progress' } & ProjectionsSnapshot)
  /** `running`: refused because a rebuild runs already (here or in another process). */
  | { type: 'rebuild-started'; id: number; rebuild?: RebuildStatus; error?: string; running?: boolean }
  | { type: 'log'; level: 'log' | 'error'; message: string }
  | { type: 'stopped' };
