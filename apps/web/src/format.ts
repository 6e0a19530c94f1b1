import type { ReadinessStatus, Task } from './types.js';

const DAY_MS = 86_400_000;

/** Today as YYYY-MM-DD in UTC, the calendar the API judges due dates by. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from today (UTC) to a YYYY-MM-DD date; negative once it has passed. */
export function daysUntil(date: string, now = new Date()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${todayUtc(now)}T00:00:00Z`)) / DAY_MS);
}

export function daysToLaunchText(date: string, now = new Date()): string {
  const days = daysUntil(date, now);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days > 0) return `in ${days} days`;
  return days === -1 ? '1 day ago' : `${-days} days ago`;
}

export function isOverdue(task: Pick<Task, 'status' | 'dueDate'>, now = new Date()): boolean {
  return (task.status === 'open' || task.status === 'blocked') && task.dueDate < todayUtc(now);
}

export const STATUS_LABELS: Record<ReadinessStatus, string> = {
  ready: 'Ready',
  'on-track': 'On track',
  'at-risk': 'At risk',
  blocked: 'Blocked',
};

export function formatInstant(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** `product-marketing` → `Product marketing`, for when the catalog has not loaded. */
export function humanize(key: string): string {
  const words = key.replace(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
