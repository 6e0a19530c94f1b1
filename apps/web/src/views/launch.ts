import { get, openStream } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { daysToLaunchText, isOverdue, STATUS_LABELS } from '../format.js';
import { readEvents } from '../sse.js';
import type { DepartmentReadiness, Launch, Readiness, Task } from '../types.js';
import { flag, problemBox, readinessBar, statusBadge } from '../widgets.js';
import { evidenceList } from './task-evidence.js';

/** One launch: each department's readiness and tasks, kept live by the launch's event stream. */
export const renderLaunch: Page = async (main, context, [launchId]) => {
  let launch = await get<Launch>(`/v1/launches/${launchId}`);
  let readiness: Readiness = { launchId: launch.launchId, overall: launch.readiness, departments: launch.readiness.departments, revision: launch.revision };

  const overall = h('div', { class: 'overall' });
  const departments = h('div', { class: 'departments' });
  const live = h('p', { class: 'live', id: 'live-status' }, 'Connecting to live updates…');
  const header = h('div', { class: 'launch-header' });

  const render = () => {
    replaceChildren(header, launchHeader(launch));
    replaceChildren(
      overall,
      h('h2', { class: 'visually-hidden' }, 'Overall readiness'),
      h('span', { class: 'overall-label', 'aria-hidden': 'true' }, 'Overall'),
      readinessBar(readiness.overall.percent, readiness.overall.status, 'Overall readiness'),
      statusBadge(readiness.overall.status),
    );
    const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    replaceChildren(
      departments,
      readiness.departments.map((department) => departmentCard(context, department, launch.tasks)),
    );
    if (focusKey) departments.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  };

  replaceChildren(
    main,
    header,
    h(
      'nav',
      { class: 'page-links', 'aria-label': 'Launch' },
      h('a', { href: '#/launches' }, '← All launches'),
      h('a', { href: `#/launches/${launchId}/history` }, 'History and audit'),
    ),
    overall,
    live,
    h('h2', {}, 'Departments'),
    departments,
  );
  render();

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
          live.textContent = `Live: updated ${new Date().toLocaleTimeString()} (revision ${next.revision}).`;
          if (before !== next.overall.percent) announce(`Overall readiness now ${next.overall.percent}%, ${STATUS_LABELS[next.overall.status]}.`);
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

function departmentCard(context: PageContext, readiness: DepartmentReadiness, allTasks: Task[]): HTMLElement {
  const name = departmentName(context, readiness.department);
  const tasks = allTasks.filter((task) => task.department === readiness.department).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const headingId = `dept-${readiness.department}`;
  const counts = [
    `${readiness.completed + readiness.waived} of ${readiness.total} required done`,
    readiness.blocked ? `${readiness.blocked} blocked` : '',
    readiness.overdue ? `${readiness.overdue} overdue` : '',
  ].filter(Boolean);
  return h(
    'section',
    { class: `card department status-border-${readiness.status}`, 'aria-labelledby': headingId, 'data-department': readiness.department },
    h(
      'div',
      { class: 'card-head' },
      h('h3', { id: headingId }, h('a', { href: `#/inbox/${readiness.department}`, 'data-focus-key': `inbox-${readiness.department}` }, name)),
      statusBadge(readiness.status),
    ),
    readinessBar(readiness.percent, readiness.status, `${name} readiness`),
    h('p', { class: 'muted counts' }, counts.join(' · ')),
    h(
      'ul',
      { class: 'tasks' },
      tasks.map((task) => taskItem(task)),
    ),
  );
}

function taskItem(task: Task): HTMLElement {
  const flags: HTMLElement[] = [];
  if (task.status === 'completed') flags.push(flag('Completed', 'done'));
  else if (task.status === 'waived') flags.push(flag('Waived', 'neutral'));
  else if (task.status === 'stale') flags.push(flag('Stale: sign off again', 'overdue'));
  if (task.status === 'blocked') flags.push(flag('Blocked', 'blocked'));
  if (isOverdue(task)) flags.push(flag('Overdue', 'overdue'));
  if (!task.required) flags.push(flag('Optional', 'neutral'));
  return h(
    'li',
    { class: `task task-${task.status}`, 'data-task-id': task.taskId },
    h('div', { class: 'task-line' }, h('span', { class: 'task-title' }, task.title), h('span', { class: 'flags' }, flags)),
    h('div', { class: 'muted' }, `${task.kind} · due `, h('time', { datetime: task.dueDate }, task.dueDate)),
    task.blockedReason && task.status === 'blocked' ? problemLine(`Blocked: ${task.blockedReason}`) : null,
    task.waivedReason && task.status === 'waived' ? h('p', { class: 'muted' }, `Waived: ${task.waivedReason}`) : null,
    task.invalidatedReason && task.status === 'stale' ? h('p', { class: 'muted' }, task.invalidatedReason) : null,
    task.status === 'completed' ? evidenceList(task) : null,
  );
}

const problemLine = (text: string) => {
  const box = problemBox(text);
  box.removeAttribute('role');
  box.classList.add('inline');
  return box;
};
