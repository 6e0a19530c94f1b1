import { ApiError, get } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { todayUtc } from '../format.js';
import type { components } from '../../../../clients/typescript/schema.js';
import type { Launch } from '../types.js';
import { problemBox } from '../widgets.js';
import { downloadLink } from './download-link.js';

type LaunchReport = components['schemas']['LaunchReport'];
type DepartmentsReport = components['schemas']['DepartmentsReport'];
type Delivery = components['schemas']['DepartmentDelivery'] & { launches?: number };

const days = (value: number | null, none: string) => (value === null ? none : `${value} day${value === 1 ? '' : 's'}`);
const rate = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);

/** One row per department, each cell labelled for the phone layout (one card per row). */
function deliveryTable(context: PageContext, caption: string, rows: Delivery[], withLaunches: boolean): HTMLElement {
  const columns: Array<[string, (row: Delivery) => string | number]> = [
    ...(withLaunches ? [['Launches', (row: Delivery) => row.launches ?? 0] as [string, (row: Delivery) => number]] : []),
    ['Tasks', (row) => row.tasks],
    ['Completed', (row) => row.completed],
    ['On time', (row) => row.onTime],
    ['Late', (row) => row.late],
    ['Days late', (row) => row.daysLate],
    ['Waived', (row) => row.waived],
    ['Sign-offs invalidated', (row) => row.signOffsInvalidated],
    ['On-time rate', (row) => rate(row.onTimeRate)],
  ];
  return h(
    'table',
    { class: 'stack-on-phone report-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Department'),
        columns.map(([title]) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          { 'data-department': row.department },
          h('th', { scope: 'row' }, departmentName(context, row.department)),
          columns.map(([title, value]) => h('td', { class: 'number', 'data-label': title }, value(row))),
        ),
      ),
    ),
  );
}

/** The launch's delivery report (`GET …/report`): per department, and the days to go and to launch; with its CSV. */
export function launchReportSection(context: PageContext, launch: Launch): HTMLElement {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading the report…'));
  const status = h('span', { class: 'export-status', role: 'status' });
  const section = h(
    'section',
    { class: 'report card', 'aria-labelledby': 'launch-report-title' },
    h('h2', { id: 'launch-report-title' }, 'Delivery report'),
    body,
    h(
      'p',
      { class: 'export-links' },
      downloadLink(`/v1/launches/${launch.launchId}/report?format=csv`, 'Download the report (CSV)', `${launch.name}-report.csv`, status, {
        'data-format': 'report-csv',
      }),
      ' ',
      status,
    ),
  );
  get<LaunchReport>(`/v1/launches/${launch.launchId}/report`).then(
    (report) =>
      replaceChildren(
        body,
        h(
          'p',
          { class: 'report-summary' },
          `Days from creation to go: ${days(report.daysToGo, 'not decided go yet')}. Days to launched: ${days(report.daysToLaunch, 'not launched yet')}.`,
        ),
        deliveryTable(context, `${launch.name}: delivery per department`, report.departments, false),
      ),
    (error: Error) => replaceChildren(body, problemBox(`Report: ${error.message}`)),
  );
  return section;
}

const addDays = (date: string, by: number) => new Date(Date.parse(`${date}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);

/** `#/reports`: on-time delivery per department over the launches launched in a date window, with its CSV. */
export const renderReports: Page = async (main, context) => {
  if (context.principal.role === 'department') {
    replaceChildren(main, h('h1', {}, 'Reports'), h('p', {}, 'The departments report is for launch managers, admins and auditors.'));
    return;
  }
  const to = h('input', { type: 'date', id: 'report-to', value: todayUtc() });
  const from = h('input', { type: 'date', id: 'report-from', value: addDays(todayUtc(), -89) });
  const fromError = h('span', { class: 'field-error', id: 'report-from-error' });
  const toError = h('span', { class: 'field-error', id: 'report-to-error' });
  from.setAttribute('aria-describedby', 'report-from-error');
  to.setAttribute('aria-describedby', 'report-to-error');
  const result = h('div', { class: 'report' });
  const form = h(
    'form',
    { class: 'window-form', novalidate: true, 'aria-label': 'Report window' },
    h('div', { class: 'field' }, h('label', { for: 'report-from' }, 'Launched from'), from, fromError),
    h('div', { class: 'field' }, h('label', { for: 'report-to' }, 'to'), to, toError),
    h('button', { type: 'submit', class: 'primary' }, 'Show report'),
  );
  const load = async () => {
    for (const [input, error] of [
      [from, fromError],
      [to, toError],
    ] as const) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    const query = `from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`;
    try {
      const report = await get<DepartmentsReport>(`/v1/reports/departments?${query}`);
      const status = h('span', { class: 'export-status', role: 'status' });
      replaceChildren(
        result,
        h(
          'p',
          { class: 'report-summary' },
          report.launches.length === 0
            ? `No launch was marked launched from ${report.from} to ${report.to}.`
            : `${report.launches.length} launch${report.launches.length === 1 ? '' : 'es'} launched from ${report.from} to ${report.to}: ${report.launches.map((l) => l.name).join(', ')}.`,
        ),
        report.departments.length ? deliveryTable(context, `Delivery per department, ${report.from} to ${report.to}`, report.departments, true) : null,
        h(
          'p',
          { class: 'export-links' },
          downloadLink(`/v1/reports/departments?${query}&format=csv`, 'Download the report (CSV)', `departments-${report.from}-${report.to}.csv`, status, {
            'data-format': 'departments-csv',
          }),
          ' ',
          status,
        ),
      );
    } catch (error) {
      if (error instanceof ApiError)
        for (const [field, input, slot] of [
          ['from', from, fromError],
          ['to', to, toError],
        ] as const) {
          const message = error.fieldMessage(field);
          if (message) {
            slot.textContent = message;
            input.setAttribute('aria-invalid', 'true');
          }
        }
      replaceChildren(result, problemBox((error as Error).message));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  replaceChildren(
    main,
    h('h1', {}, 'Reports'),
    h('p', {}, 'How each department delivered on the launches marked launched in a window of at most 366 days.'),
    form,
    result,
  );
  await load();
};
