import { get } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { formatInstant, STATUS_LABELS } from '../format.js';
import type { HistoryEvent, Launch, Readiness, Verification } from '../types.js';
import { problemBox, readinessBar, statusBadge } from '../widgets.js';
import { exportLinks } from './history-export.js';
import { evidenceList, evidenceValue, fieldLabel } from './task-evidence.js';
import { ledgerLine } from './ledger-check.js';

const SHOWN_FIELDS = ['reason', 'note', 'targetDate', 'decision', 'dueDate', 'title', 'department', 'vote'];

/** The launch's timeline (who, what, when, evidence), readiness as of any event, and the hash-chain check. */
export const renderHistory: Page = async (main, context, [launchId]) => {
  const [launch, history, verification] = await Promise.all([
    get<Launch>(`/v1/launches/${launchId}`),
    get<{ events: HistoryEvent[] }>(`/v1/launches/${launchId}/history?limit=10000`),
    get<Verification>(`/v1/launches/${launchId}/verify`),
  ]);
  const events = history.events;
  const ledger = await ledgerLine(launchId, events, context.principal.role).catch((error: Error) => problemBox(`Ledger: ${error.message}`));
  const tasks = new Map(launch.tasks.map((task) => [task.taskId, task]));

  const asOfReadiness = h('div', { class: 'as-of-readiness', id: 'as-of-readiness' });
  const slider = h('input', { type: 'range', id: 'as-of', min: 0, max: Math.max(0, events.length - 1), step: 1, value: Math.max(0, events.length - 1) });
  const output = h('output', { for: 'as-of', id: 'as-of-output' });
  const timeline = h(
    'ol',
    { class: 'timeline', 'aria-label': 'Events, oldest first' },
    events.map((event) => timelineItem(event, tasks)),
  );

  let request = 0;
  let timer: number | undefined;
  const show = (index: number) => {
    const event = events[index];
    if (!event) return;
    const label = `${formatInstant(event.metadata.occurredAt)}: ${event.type} (revision ${event.revision})`;
    output.textContent = label;
    slider.setAttribute('aria-valuetext', label);
    for (const item of timeline.children) item.removeAttribute('aria-current');
    timeline.children[index]?.setAttribute('aria-current', 'step');
    window.clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const mine = ++request;
      try {
        const readiness = await get<Readiness>(`/v1/launches/${launchId}/readiness?asOf=${encodeURIComponent(event.metadata.occurredAt)}`);
        if (mine === request) replaceChildren(asOfReadiness, readinessAsOf(context, readiness));
      } catch (error) {
        if (mine === request) replaceChildren(asOfReadiness, problemBox((error as Error).message));
      }
    }, 120);
  };
  slider.addEventListener('input', () => show(Number(slider.value)));

  replaceChildren(
    main,
    h('h1', {}, `${launch.name}: history`),
    h('nav', { class: 'page-links', 'aria-label': 'Launch' }, h('a', { href: `#/launches/${launchId}` }, '← Live view')),
    exportLinks(launch),
    verificationBox(verification),
    ledger,
    h(
      'section',
      { class: 'card scrub', 'aria-labelledby': 'scrub-title' },
      h('h2', { id: 'scrub-title' }, 'Readiness as of a moment'),
      events.length === 0
        ? h('p', {}, 'No events.')
        : [h('label', { for: 'as-of' }, 'Move through the launch’s events'), slider, h('p', { class: 'as-of-label' }, 'As of ', output), asOfReadiness],
    ),
    h('section', { 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, `Timeline (${events.length} events)`), timeline),
  );
  show(events.length - 1);
  return () => window.clearTimeout(timer);
};

function verificationBox(verification: Verification): HTMLElement {
  return verification.valid
    ? h('p', { class: 'verify verify-ok', id: 'verify' }, `Hash chain verified: all ${verification.events} events are intact.`)
    : h(
        'p',
        { class: 'verify verify-broken', id: 'verify', role: 'alert' },
        verification.firstInvalidRevision === undefined && verification.firstUnauthenticatedRevision !== undefined
          ? `Unauthenticated event at revision ${verification.firstUnauthenticatedRevision}: it was not appended by the server.`
          : `Hash chain broken${verification.firstInvalidRevision !== undefined ? ` at revision ${verification.firstInvalidRevision}` : ''}: the stored history has been changed.`,
      );
}

function readinessAsOf(context: PageContext, readiness: Readiness): HTMLElement[] {
  return [
    h(
      'div',
      { class: 'overall' },
      readinessBar(readiness.overall.percent, readiness.overall.status, 'Overall readiness as of this moment'),
      statusBadge(readiness.overall.status),
    ),
    h(
      'table',
      { class: 'compact' },
      h('caption', { class: 'visually-hidden' }, 'Department readiness as of this moment'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Department'), h('th', { scope: 'col' }, 'Readiness'), h('th', { scope: 'col' }, 'Status'))),
      h(
        'tbody',
        {},
        readiness.departments.map((d) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, departmentName(context, d.department)),
            h('td', { class: 'bar-cell' }, readinessBar(d.percent, d.status, `${departmentName(context, d.department)} readiness`)),
            h('td', {}, STATUS_LABELS[d.status]),
          ),
        ),
      ),
    ),
  ];
}

function timelineItem(event: HistoryEvent, tasks: Map<string, Launch['tasks'][number]>): HTMLElement {
  const { actor, occurredAt } = event.metadata;
  const data = event.data;
  const task = typeof data.taskId === 'string' ? tasks.get(data.taskId) : undefined;
  const taskTitle = task?.title;
  const facts = SHOWN_FIELDS.filter((field) => data[field] !== undefined && typeof data[field] !== 'object').map((field) => [
    h('dt', {}, fieldLabel(field)),
    h('dd', {}, evidenceValue(data[field])),
  ]);
  const evidence = evidenceList({
    kind: task?.kind,
    details: typeof data.details === 'object' && data.details !== null ? (data.details as Record<string, unknown>) : undefined,
    evidenceUrl: typeof data.evidenceUrl === 'string' ? data.evidenceUrl : undefined,
  });
  return h(
    'li',
    { 'data-revision': event.revision },
    h('div', { class: 'event-head' }, h('span', { class: 'event-type' }, event.type), taskTitle ? h('span', {}, ` · ${taskTitle}`) : null),
    h(
      'div',
      { class: 'muted' },
      h('time', { datetime: occurredAt }, formatInstant(occurredAt)),
      ` · ${actor.name} (${actor.role}${actor.department ? `, ${actor.department}` : ''}) · revision ${event.revision}`,
    ),
    facts.length ? h('dl', { class: 'evidence' }, facts) : null,
    evidence,
  );
}
