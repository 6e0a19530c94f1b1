import type { Page } from './context.js';
import { renderCreateLaunch } from './views/create-launch.js';

/** A view's address, its page and its title: the shape of the shell's route table (main.ts). */
export interface CockpitRoute {
  pattern: RegExp;
  page: Page;
  title: string;
}

/**
 * The launch manager's routes, spread first into the shell's route table (main.ts): `#/launches/new`
 * must be tried before the launch list's pattern (which takes a query) and a launch's.
 */
export const COCKPIT_ROUTES: CockpitRoute[] = [{ pattern: /^#\/launches\/new\/?$/, page: renderCreateLaunch, title: 'New launch' }];
