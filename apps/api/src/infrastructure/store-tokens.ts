import type { GenerationalProjector, RebuildStatus } from '#read-models';

export const VIEW_STORES = Symbol('VIEW_STORES');
export const PROJECTOR = Symbol('PROJECTOR');
/** This process's LeaseContext: the shared lease store, its owner name, the ttl. */
export const LEASE_CONTEXT = Symbol('LEASE_CONTEXT');

/** The projections this process runs: in process (GenerationalProjector) or on their thread (ProjectorThread). */
export type RunningProjections = Pick<GenerationalProjector, 'start' | 'stop' | 'status' | 'rebuildStatus' | 'checkpoint' | 'waitForPosition'> & {
  rebuild(): RebuildStatus | Promise<RebuildStatus>;
  /** False while another process holds the projections' lease (then rebuilds and their status are this process's to answer otherwise). */
  readonly projectsHere?: boolean;
};
