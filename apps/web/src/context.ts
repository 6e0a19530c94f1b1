import { humanize } from './format.js';
import type { Department, Principal } from './types.js';

/** What every page knows once signed in. */
export interface PageContext {
  principal: Principal;
  departments: Department[];
}

export function departmentName(context: PageContext, key: string): string {
  return context.departments.find((d) => d.key === key)?.name ?? humanize(key);
}

/** Renders into `main`; returns what to stop when the page is left (a live stream). */
export type Page = (main: HTMLElement, context: PageContext, params: string[]) => Promise<(() => void) | void>;
