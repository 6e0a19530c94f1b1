import type { Page } from './context.js';
import { renderCreateLaunch } from './views/create-launch.js';

/**
 * The launch manager's routes, added to the shell's route table (main.ts) before its own:
 * `#/launches/new` must be tried before the launch list's and a launch's patterns.
 */
export const COCKPIT_ROUTES: Array<[RegExp, Page, string]> = [[/^#\/launches\/new\/?$/, renderCreateLaunch, 'New launch']];
