import type { DeliveryCounts, DepartmentsReport, LaunchReport } from '#launch';
import { csvField, spreadsheetSafe } from '../launches/get-history/history-export.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

const DELIVERY_COLUMNS = [
  'tasks',
  'completed',
  'onTime',
  'late',
  'daysLate',
  'averageDaysLate',
  'waived',
  'notDone',
  'signOffsInvalidated',
  'onTimeRate',
] as const satisfies ReadonlyArray<keyof DeliveryCounts>;

export const LAUNCH_REPORT_COLUMNS = [
  'launchId',
  'launchName',
  'createdAt',
  'goDecidedAt',
  'launchedAt',
  'daysToGo',
  'daysToLaunch',
  'department',
  ...DELIVERY_COLUMNS,
] as const;

export const DEPARTMENTS_REPORT_COLUMNS = ['from', 'to', 'department', 'launches', ...DELIVERY_COLUMNS] as const;

type Cell = string | number | null;

/** RFC 4180 rows, CRLF, a header first; formula-like cells neutralised as in the history export. */
function csv(columns: readonly string[], rows: ReadonlyArray<Record<string, Cell>>): string {
  const line = (cells: readonly Cell[]) => `${cells.map((cell) => csvField(spreadsheetSafe(cell === null ? '' : String(cell)))).join(',')}\r\n`;
  return line(columns) + rows.map((row) => line(columns.map((column) => row[column] ?? null))).join('');
}

/** One row per department of the launch, the launch's own figures repeated on each. */
export function launchReportCsv(report: LaunchReport): string {
  const { launchId, name, createdAt, goDecidedAt, launchedAt, daysToGo, daysToLaunch } = report;
  const launch = { launchId, launchName: name, createdAt, goDecidedAt, launchedAt, daysToGo, daysToLaunch };
  return csv(
    LAUNCH_REPORT_COLUMNS,
    report.departments.map((department) => ({ ...launch, ...department })),
  );
}

/** One row per department of the window. */
export function departmentsReportCsv(report: DepartmentsReport): string {
  return csv(
    DEPARTMENTS_REPORT_COLUMNS,
    report.departments.map((department) => ({ from: report.from, to: report.to, ...department })),
  );
}
