import type { Page } from './context.js';
import { renderDepartmentSettings } from './views/admin-departments.js';
import { renderCalendarFeeds } from './views/calendar-feeds.js';
import { renderCreateLaunch } from './views/create-launch.js';
import { renderMyTasks } from './views/my-tasks.js';
import { renderReports } from './views/reports.js';

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
export const COCKPIT_ROUTES: CockpitRoute[] = [
  { pattern: /^#\/launches\/new\/?$/, page: renderCreateLaunch, title: 'New launch' },
  { pattern: /^#\/my-tasks\/?$/, page: renderMyTasks, title: 'My tasks' },
  { pattern: /^#\/reports\/?$/, page: renderReports, title: 'Reports' },
  { pattern: /^#\/calendar-feeds\/?$/, page: renderCalendarFeeds, title: 'Calendar feeds' },
  { pattern: /^#\/admin\/departments\/?$/, page: renderDepartmentSettings, title: 'Departments' },
];
