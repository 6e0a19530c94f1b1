import { get, openStream } from '../api.js';
import { ChangedMeanwhile, CHANGED_MEANWHILE_MESSAGE, type CommandResult } from '../commands.js';
import type { Page } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { daysToLaunchText, STATUS_LABELS } from '../format.js';
import { takeFlash } from '../flash.js';
import { readinessTimeline } from '../readiness-timeline.js';
import { readEvents } from '../sse.js';
import { shownStatus, worstStatus } from '../task-rules.js';
import type { HistoryEvent, Launch, Readiness, TierTemplate } from '../types.js';
import { problemBox, readinessBar, statusBadge } from '../widgets.js';
import { departmentCard } from './department-card.js';
import { goNoGoPanel } from './go-no-go.js';
import { subscribeButton } from './calendar-feeds.js';
import { launchActions } from './launch-actions.js';
import { readinessChart } from './readiness-chart.js';
import { launchReportSection } from './reports.js';
import type { Room } from './room.js';

/**
 * One launch: each department's readiness and tasks, the go/no-go panel, readiness over time, and
 * the commands the signed-in role may send, kept live by the launch's event stream.
 */
export const renderLaunch: Page = async (main, context, [launchId]) => {
  const [first, templates] = await Promise.all([get<Launch>(`/v1/launches/${launchId}`), get<TierTemplate[]>('/v1/templates')]);
  let launch = first;
  const fieldsByKind = new Map(templates.flatMap((template) => template.tasks.map((task) => [task.kind as string, task.detailFields])));
  let readiness: Readiness = { launchId: launch.launchId, overall: launch.readiness, departments: launch.readiness.departments, revision: launch.revision };

  const header = h('div', { class: 'launch-header' });
  const actions = h('div', { class: 'launch-actions-slot' });
  const status = h('div', { class: 'room-status', id: 'room-status', role: 'status' });
  const overall = h('div', { class: 'overall' });
  const departments = h('div', { class: 'departments' });
  const chart = h('div', { class: 'chart-slot' });
  const live = h('p', { class: 'live', id: 'live-status' }, 'Connecting to live updates…');

  const room: Room = {
    context,
    launch: () => launch,
    readiness: () => readiness,
    detailFields: (kind) => fieldsByKind.get(kind) ?? [],
    async reload(minPosition) {
      launch = await get<Launch>(`/v1/launches/${launchId}${minPosition === undefined ? '' : `?minPosition=${minPosition}`}`);
      readiness = { launchId: launch.launchId, overall: launch.readiness, departments: launch.readiness.departments, revision: launch.revision };
      render();
      await Promise.all([panel.refresh(), refreshChart()]);
    },
    async done(message: string, result: CommandResult) {
      await room.reload(result.position).catch(() => undefined);
      replaceChildren(status, h('p', { class: 'success', tabindex: -1 }, message));
      announce(message);
      // The button used may be gone (a waived task offers no "Waive…"): keep keyboard users in place.
      if (!document.activeElement || document.activeElement === document.body) status.querySelector<HTMLElement>('p')?.focus();
    },
    refused(error) {
      const text = error instanceof ChangedMeanwhile ? CHANGED_MEANWHILE_MESSAGE : (error as Error).message;
      replaceChildren(status, problemBox(text));
      status.querySelector<HTMLElement>('.problem')?.focus();
    },
  };
  const panel = goNoGoPanel(room);

  const refreshChart = async () => {
    try {
      const history = await get<{ events: HistoryEvent[] }>(`/v1/launches/${launchId}/history?limit=10000`);
      const tableOpen = chart.querySelector('details')?.open ?? false;
      replaceChildren(chart, readinessChart(context, readinessTimeline(history.events)));
      if (tableOpen) chart.querySelector('details')?.setAttribute('open', '');
    } catch (error) {
      replaceChildren(chart, problemBox(`Readiness over time: ${(error as Error).message}`));
    }
  };

  /** The worst department status as the room shows it (a department held by a blocked task is at risk). */
  const shownOverall = () => worstStatus(readiness.departments.map((d) => shownStatus(d.department, d.status, launch)));

  const render = () => {
    replaceChildren(header, launchHeader(launch));
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    replaceChildren(actions, launchActions(room));
    const overallStatus = shownOverall();
    replaceChildren(
      overall,
      h('h2', { class: 'visually-hidden' }, 'Overall readiness'),
      h('span', { class: 'overall-label', 'aria-hidden': 'true' }, 'Overall'),
      readinessBar(readiness.overall.percent, overallStatus, 'Overall readiness'),
      statusBadge(overallStatus),
    );
    replaceChildren(
      departments,
      readiness.departments.map((department) => departmentCard(room, department)),
    );
    if (focusKey) main.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  };

  const flash = takeFlash();
  replaceChildren(
    main,
    header,
    h(
      'nav',
      { class: 'page-links', 'aria-label': 'Launch' },
      h('a', { href: '#/launches' }, '← All launches'),
      h('a', { href: `#/launches/${launchId}/history` }, 'History and audit'),
      subscribeButton(context, { launchId: launch.launchId, label: launch.name }),
    ),
    actions,
    status,
    flash
      ? h(
          'div',
          { class: 'flash', role: 'alert' },
          flash.map((line) => h('p', {}, line)),
        )
      : null,
    overall,
    live,
    panel.element,
    h('h2', {}, 'Departments'),
    departments,
    chart,
    launchReportSection(context, launch),
  );
  render();
  await Promise.all([panel.refresh().catch((error: Error) => replaceChildren(panel.element, problemBox(error.message))), refreshChart()]);

  const abort = new AbortController();
  const follow = async () => {
    while (!abort.signal.aborted) {
      try {
        const body = await openStream(`/v1/launches/${launchId}/stream`, abort.signal);
        live.textContent = 'Live: updates appear as they happen.';
        live.classList.remove('offline');
        await readEvents(body, async (event) => {
          if (event.event !== 'readiness') return;
          const next = JSON.parse(event.data) as Readiness;
          const before = readiness.overall.percent;
          const changedRevision = next.revision !== readiness.revision;
          readiness = next;
          if (changedRevision) launch = await get<Launch>(`/v1/launches/${launchId}`).catch(() => launch);
          render();
          if (changedRevision) await Promise.all([panel.refresh().catch(() => undefined), refreshChart()]);
          live.textContent = `Live: updated ${new Date().toLocaleTimeString()} (revision ${next.revision}).`;
          if (before !== next.overall.percent) announce(`Overall readiness now ${next.overall.percent}%, ${STATUS_LABELS[shownOverall()]}.`);
        });
      } catch (error) {
        if (abort.signal.aborted) return;
        live.textContent = `Live updates interrupted (${(error as Error).message}); reconnecting…`;
      }
      if (abort.signal.aborted) return;
      live.classList.add('offline');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void follow();
  return () => abort.abort();
};

function launchHeader(launch: Launch): HTMLElement[] {
  return [
    h('h1', {}, launch.name),
    h(
      'p',
      { class: 'meta' },
      `${launch.product} · Tier ${launch.tier} · target `,
      h('time', { datetime: launch.targetDate }, launch.targetDate),
      ` (${daysToLaunchText(launch.targetDate)}) · `,
      h('span', { class: `launch-status launch-${launch.status}` }, launch.status),
    ),
    ...(launch.description ? [h('p', {}, launch.description)] : []),
  ];
}
