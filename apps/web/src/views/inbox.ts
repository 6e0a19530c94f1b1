import { get, getPage } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { mapBounded } from '../map-bounded.js';
import { canComplete, describeWaiting, waitingOn } from '../task-rules.js';
import type { InboxItem, Launch, TierTemplate } from '../types.js';
import { subscribeButton } from './calendar-feeds.js';
import { inboxItem } from './inbox-item.js';
import { problemBox } from '../widgets.js';
import { statusFilter } from './status-filter.js';

/** What a department still has to sign off by default: stale sign-offs to re-confirm included. */
const OWED = ['open', 'blocked', 'stale'];
/** The inbox items carry no `dependsOn`: each launch shown is read, this many at a time. */
const LAUNCH_READS_IN_FLIGHT = 4;
/** Tasks per page (the API's `limit`); "Load more" follows the answer's `Link: rel="next"`. */
const PAGE_SIZE = 50;

/** What one department still owes across launches; complete (with the evidence its kind needs) or block from here. */
export const renderInbox: Page = async (main, context, [department]) => {
  if (!department) {
    if (context.principal.department) {
      location.hash = `#/inbox/${context.principal.department}`;
      return;
    }
    replaceChildren(main, h('h1', {}, 'Department inbox'), departmentPicker(context, undefined));
    return;
  }
  const [first, templates] = await Promise.all([
    getPage<InboxItem>(`/v1/departments/${encodeURIComponent(department)}/tasks?status=${statuses.join(',')}&limit=${PAGE_SIZE}`),
    get<TierTemplate[]>('/v1/templates'),
  ]);
  const items = first.items;
  let next = first.next;
  const fieldsByKind = new Map<string, string[]>();
  for (const template of templates) for (const task of template.tasks) fieldsByKind.set(task.kind, task.detailFields);
  const canAct = mayAct(context, department);
  const waits = canAct ? await whatEachWaitsOn(items) : new Map<string, string>();

  const owesOnly = statuses.every((status) => OWED.includes(status));
  const title = h('h1', { tabindex: -1 }, `${departmentName(context, department)}: ${owesOnly ? 'still owed' : 'tasks'}`);
  const reload = async (message: string) => {
    announce(message);
    await renderInbox(main, context, [department]);
    main.querySelector<HTMLElement>('h1')?.focus();
    const status = main.querySelector('#inbox-status');
    if (status) status.textContent = message;
  };
  const filter = statusFilter('inbox-status-filter', 'Show tasks that are', statuses, (chosen) => {
    statuses = chosen.length ? chosen : OWED;
    void reload(`Showing ${statuses.join(', ')} tasks.`);
  });
  const groupBy = h(
    'select',
    { id: 'inbox-group-by' },
    h('option', { value: 'launch', selected: grouping !== 'status' }, 'Launch'),
    h('option', { value: 'status', selected: grouping === 'status' }, 'Status'),
  );
  const groupsSlot = h('div', { class: 'inbox-groups' });
  const drawGroups = () =>
    replaceChildren(
      groupsSlot,
      groupItems(items, groupBy.value === 'status' ? 'status' : 'launch').map((group, index, all) =>
        inboxGroup(group, index === 0 || all.length <= 3 || items.length <= 15, (item) =>
          inboxItem(item, fieldsByKind.get(item.kind) ?? [], reload, canAct, waits.get(item.taskId)),
        ),
      ),
    );
  groupBy.addEventListener('change', () => {
    grouping = groupBy.value;
    drawGroups();
  });
  const count = h('span', { class: 'muted', id: 'inbox-count' });
  const more = h('button', { type: 'button' }, 'Load more');
  const drawCount = () => {
    count.textContent = `${items.length} task${items.length === 1 ? '' : 's'}${next ? ' shown, more available' : ''}`;
    more.hidden = !next;
  };
  more.addEventListener('click', async () => {
    if (!next) return;
    more.disabled = true;
    try {
      const page = await getPage<InboxItem>(next);
      const seen = new Set(items.map((item) => item.taskId));
      const added = page.items.filter((item) => !seen.has(item.taskId));
      if (canAct) for (const [taskId, text] of await whatEachWaitsOn(added)) waits.set(taskId, text);
      items.push(...added);
      next = page.next;
      drawGroups();
      drawCount();
      announce(`${count.textContent}.`);
    } catch (error) {
      replaceChildren(groupsSlot, problemBox((error as Error).message));
    } finally {
      more.disabled = false;
    }
  });
  drawGroups();
  drawCount();
  replaceChildren(
    main,
    h('div', { class: 'page-title' }, title, subscribeButton(context, { department, label: departmentName(context, department) })),
    context.principal.department ? null : departmentPicker(context, department),
    filter,
    h('p', { id: 'inbox-status', class: 'success', role: 'status' }),
    items.length === 0
      ? h('p', {}, `No ${statuses.join(', ')} task for this department.`)
      : [h('div', { class: 'picker' }, h('label', { for: 'inbox-group-by' }, 'Group by'), groupBy, count), groupsSlot, h('div', { class: 'more' }, more)],
  );
};

/** The tab's choice of statuses, kept across reloads of the inbox. */
let statuses = OWED;

/**
 * For each open or stale item whose completion would be refused now, what it waits on (the launch's
 * tasks say what it depends on). A launch that cannot be read leaves its items offered: the API decides.
 */
async function whatEachWaitsOn(items: InboxItem[]): Promise<Map<string, string>> {
  const completable = items.filter((item) => item.status === 'open' || item.status === 'stale');
  const launchIds = [...new Set(completable.map((item) => item.launchId))];
  const launches = await mapBounded(launchIds, LAUNCH_READS_IN_FLIGHT, (id) => get<Launch>(`/v1/launches/${id}`).catch(() => undefined));
  const byId = new Map(launches.filter((launch): launch is Launch => !!launch).map((launch) => [launch.launchId, launch]));
  const waits = new Map<string, string>();
  for (const item of completable) {
    const launch = byId.get(item.launchId);
    const task = launch?.tasks.find((t) => t.taskId === item.taskId);
    if (!launch || !task || canComplete(task, launch)) continue;
    const first = waitingOn(task, launch)[0];
    waits.set(item.taskId, first ? describeWaiting(task, first) : `${task.title} cannot be completed yet`);
  }
  return waits;
}

/** The tab's choice of grouping, kept across reloads of the inbox. */
let grouping = 'launch';

interface InboxGroup {
  key: string;
  label: string;
  items: InboxItem[];
}

const STATUS_GROUPS: Record<string, string> = { blocked: 'Blocked', stale: 'Stale: sign off again', open: 'Open', completed: 'Completed', waived: 'Waived' };

/** By launch (soonest target date first) or by status (blocked, stale, open); items keep the API's order (earliest due first). */
function groupItems(items: InboxItem[], by: 'launch' | 'status'): InboxGroup[] {
  const groups = new Map<string, InboxGroup>();
  for (const item of items) {
    const key = by === 'launch' ? item.launchId : item.status;
    const label = by === 'launch' ? `${item.launchName} (launch ${item.targetDate})` : (STATUS_GROUPS[item.status] ?? item.status);
    if (!groups.has(key)) groups.set(key, { key, label, items: [] });
    groups.get(key)!.items.push(item);
  }
  const order = Object.keys(STATUS_GROUPS);
  return [...groups.values()].sort((a, b) =>
    by === 'status'
      ? order.indexOf(a.key) - order.indexOf(b.key)
      : a.items[0]!.targetDate.localeCompare(b.items[0]!.targetDate) || a.label.localeCompare(b.label),
  );
}

/** A collapsible group: its heading holds a disclosure button naming the count. */
function inboxGroup(group: InboxGroup, expanded: boolean, render: (item: InboxItem) => HTMLElement): HTMLElement {
  const listId = `group-${group.key.replace(/[^a-zA-Z0-9-]/g, '')}`;
  const list = h('ul', { class: 'inbox', id: listId, hidden: !expanded }, group.items.map(render));
  const toggle = h(
    'button',
    { type: 'button', class: 'group-toggle', 'aria-expanded': String(expanded), 'aria-controls': listId },
    h('span', { class: 'group-label' }, group.label),
    h('span', { class: 'count' }, `${group.items.length}`, h('span', { class: 'visually-hidden' }, group.items.length === 1 ? ' task' : ' tasks')),
  );
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    list.hidden = !open;
  });
  return h('section', { class: 'inbox-group', 'data-group': group.key }, h('h2', {}, toggle), list);
}

/** Auditors only read; a department principal acts on its own department's tasks (the API decides; this hides what would be refused). */
function mayAct({ principal }: PageContext, department: string): boolean {
  if (principal.role === 'auditor') return false;
  return principal.role !== 'department' || principal.department === department;
}

function departmentPicker(context: PageContext, current: string | undefined): HTMLElement {
  const select = h(
    'select',
    { id: 'department-picker' },
    h('option', { value: '' }, 'Choose a department…'),
    context.departments.map((d) => h('option', { value: d.key, selected: d.key === current }, d.name)),
  );
  const form = h('form', { class: 'picker' }, h('label', { for: 'department-picker' }, 'Department'), select, h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (select.value) location.hash = `#/inbox/${select.value}`;
  });
  return form;
}
