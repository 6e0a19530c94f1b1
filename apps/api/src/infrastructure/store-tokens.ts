import type { GenerationalProjector, RebuildStatus } from '#read-models';

export const VIEW_STORES = Symbol('VIEW_STORES');
export const PROJECTOR = Symbol('PROJECTOR');

/** The projections this process runs: in process (GenerationalProjector) or on their thread (ProjectorThread). */
export type RunningProjections = Pick<GenerationalProjector, 'start' | 'stop' | 'status' | 'rebuildStatus' | 'checkpoint' | 'waitForPosition'> & {
  rebuild(): RebuildStatus | Promise<RebuildStatus>;
};
