import type { Projection } from '../projection.js';
import { launchViewsProjection } from './launch-views.projection.js';

export * from './launch-views.projection.js';

/** Every projection the system runs, in the API (embedded default) or in the projector process. */
export const PROJECTIONS: readonly Projection[] = [launchViewsProjection];
