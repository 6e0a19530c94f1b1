import { daysBetween, isIsoDate, utcDate } from './dates.js';
import { DEPARTMENT_KEYS, type Department } from './departments.js';
import { ValidationFailed } from './errors.js';
import { deliveryCounts, type DeliveryCounts, type LaunchReport } from './launch-report.js';

/** A window of at most this many days (both ends included): a leap year. */
export const MAX_REPORT_WINDOW_DAYS = 366;

export interface ReportWindow {
  from: string;
  to: string;
}

export interface DepartmentWindowReport extends DeliveryCounts {
  department: Department;
  /** Launches of the window in which the department had tasks. */
  launches: number;
}

export interface DepartmentsReport extends ReportWindow {
  /** The launches that launched in the window (UTC date of `LaunchCompleted`), earliest first. */
  launches: Array<{ launchId: string; name: string; launchedAt: string }>;
  /** Departments with tasks in those launches, in catalog order. */
  departments: DepartmentWindowReport[];
}

/** `from` and `to` are dates, `from` ≤ `to`, at most MAX_REPORT_WINDOW_DAYS apart (inclusive); else a validation failure naming the field. */
export function assertReportWindow(window: { from?: unknown; to?: unknown }): ReportWindow {
  const errors: Array<{ field: string; message: string }> = [];
  for (const field of ['from', 'to'] as const) {
    if (!isIsoDate(window[field])) errors.push({ field, message: 'is required, a date YYYY-MM-DD' });
  }
  if (errors.length > 0) throw new ValidationFailed('from and to must be dates YYYY-MM-DD', errors);
  const { from, to } = window as ReportWindow;
  if (from > to) throw new ValidationFailed('from must not be after to', [{ field: 'from', message: 'must not be after to' }]);
  if (daysBetween(from, to) + 1 > MAX_REPORT_WINDOW_DAYS) {
    const message = `the window may span at most ${MAX_REPORT_WINDOW_DAYS} days, both ends included`;
    throw new ValidationFailed(message, [{ field: 'to', message }]);
  }
  return { from, to };
}

/** Whether the launch launched on a UTC date within the window. */
export function launchedWithin(report: LaunchReport, { from, to }: ReportWindow): boolean {
  if (report.launchedAt === null) return false;
  const day = utcDate(new Date(report.launchedAt));
  return from <= day && day <= to;
}

/** The delivery of each department over the launches of the window: the launch reports' tasks taken together. */
export function departmentsReport(window: ReportWindow, reports: readonly LaunchReport[]): DepartmentsReport {
  const launched = reports
    .filter((report) => launchedWithin(report, window))
    .sort((a, b) => a.launchedAt!.localeCompare(b.launchedAt!) || a.launchId.localeCompare(b.launchId));
  const departments = DEPARTMENT_KEYS.flatMap((department): DepartmentWindowReport[] => {
    const involved = launched.filter((report) => report.tasks.some((task) => task.department === department));
    if (involved.length === 0) return [];
    const tasks = involved.flatMap((report) => report.tasks.filter((task) => task.department === department));
    return [{ department, launches: involved.length, ...deliveryCounts(tasks) }];
  });
  return {
    ...window,
    launches: launched.map(({ launchId, name, launchedAt }) => ({ launchId, name, launchedAt: launchedAt! })),
    departments,
  };
}
