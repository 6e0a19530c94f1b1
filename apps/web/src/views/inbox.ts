import { get, post } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { isOverdue } from '../format.js';
import type { InboxItem, TierTemplate } from '../types.js';
import { flag, problemBox, problemForm } from '../widgets.js';
import { detailInputs, fieldInput } from './detail-fields.js';

const OWED: ReadonlySet<string> = new Set(['open', 'blocked', 'stale']);

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
  const [items, templates] = await Promise.all([
    get<InboxItem[]>(`/v1/departments/${encodeURIComponent(department)}/tasks`),
    get<TierTemplate[]>('/v1/templates'),
  ]);
  const fieldsByKind = new Map<string, string[]>();
  for (const template of templates) for (const task of template.tasks) fieldsByKind.set(task.kind, task.detailFields);

  const owed = items.filter((item) => OWED.has(item.status));
  const title = h('h1', { tabindex: -1 }, `${departmentName(context, department)}: still owed`);
  const reload = async (message: string) => {
    announce(message);
    await renderInbox(main, context, [department]);
    main.querySelector<HTMLElement>('h1')?.focus();
    const status = main.querySelector('#inbox-status');
    if (status) status.textContent = message;
  };
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
      groupItems(owed, groupBy.value === 'status' ? 'status' : 'launch').map((group, index, all) =>
        inboxGroup(group, index === 0 || all.length <= 3 || owed.length <= 15, (item) =>
          inboxItem(item, fieldsByKind.get(item.kind) ?? [], reload, mayAct(context, department)),
        ),
      ),
    );
  groupBy.addEventListener('change', () => {
    grouping = groupBy.value;
    drawGroups();
  });
  drawGroups();
  replaceChildren(
    main,
    title,
    context.principal.department ? null : departmentPicker(context, department),
    h('p', { id: 'inbox-status', class: 'success', role: 'status' }),
    owed.length === 0
      ? h('p', {}, 'Nothing owed. Every task of this department is completed or waived.')
      : [
          h('div', { class: 'picker' }, h('label', { for: 'inbox-group-by' }, 'Group by'), groupBy, h('span', { class: 'muted' }, `${owed.length} tasks owed`)),
          groupsSlot,
        ],
  );
};

/** The tab's choice of grouping, kept across reloads of the inbox. */
let grouping = 'launch';

interface InboxGroup {
  key: string;
  label: string;
  items: InboxItem[];
}

const STATUS_GROUPS: Record<string, string> = { blocked: 'Blocked', stale: 'Stale: sign off again', open: 'Open' };

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

function inboxItem(item: InboxItem, detailFields: string[], reload: (message: string) => Promise<void>, canAct: boolean): HTMLElement {
  const idPrefix = `t-${item.taskId.slice(0, 8)}`;
  const panel = h('div', { class: 'action-panel', id: `${idPrefix}-panel` });
  const completeButton = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false', 'aria-controls': `${idPrefix}-panel` }, 'Complete…');
  const blockButton = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': `${idPrefix}-panel` }, 'Block…');
  const open = (which: 'complete' | 'block') => {
    const form = which === 'complete' ? completeForm(item, idPrefix, detailFields, reload) : blockForm(item, idPrefix, reload);
    replaceChildren(panel, form);
    completeButton.setAttribute('aria-expanded', String(which === 'complete'));
    blockButton.setAttribute('aria-expanded', String(which === 'block'));
    form.querySelector<HTMLElement>('input, textarea')?.focus();
  };
  completeButton.addEventListener('click', () => open('complete'));
  blockButton.addEventListener('click', () => open('block'));

  const actions: HTMLElement[] = [completeButton];
  if (item.status === 'blocked') {
    const unblock = h('button', { type: 'button' }, 'Unblock');
    unblock.addEventListener('click', async () => {
      try {
        await post(`/v1/launches/${item.launchId}/tasks/${item.taskId}/unblock`, {});
        await reload(`Unblocked "${item.title}" for ${item.launchName}.`);
      } catch (error) {
        replaceChildren(panel, problemBox((error as Error).message));
      }
    });
    actions.push(unblock);
  } else actions.push(blockButton);

  return h(
    'li',
    { class: 'card inbox-item', 'data-task-id': item.taskId },
    h(
      'div',
      { class: 'task-line' },
      h('h3', { class: 'task-title' }, item.title),
      h(
        'span',
        { class: 'flags' },
        item.status === 'blocked' ? flag('Blocked', 'blocked') : null,
        item.status === 'stale' ? flag('Stale', 'overdue') : null,
        isOverdue(item) ? flag('Overdue', 'overdue') : null,
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      h('a', { href: `#/launches/${item.launchId}` }, item.launchName),
      ` · ${item.kind} · due `,
      h('time', { datetime: item.dueDate }, item.dueDate),
      ` · launch ${item.targetDate}`,
    ),
    canAct ? [h('div', { class: 'actions' }, actions), panel] : null,
  );
}

function completeForm(item: InboxItem, idPrefix: string, detailFields: string[], reload: (message: string) => Promise<void>): HTMLFormElement {
  const details = detailInputs(idPrefix, detailFields);
  const evidenceUrl = fieldInput(idPrefix, 'evidenceUrl', { label: 'Evidence link (optional)', type: 'url' });
  const note = fieldInput(idPrefix, 'note', { label: 'Note (optional)', multiline: true });
  const inputs = [...details, evidenceUrl, note];
  return problemForm(`Complete "${item.title}"`, inputs, 'Complete task', async () => {
    const body: Record<string, unknown> = {};
    if (details.length > 0)
      body.details = Object.fromEntries(
        details.map((input) => [input.field.slice('details.'.length), input.value()]).filter(([, value]) => value !== undefined),
      );
    if (evidenceUrl.value() !== undefined) body.evidenceUrl = evidenceUrl.value();
    if (note.value() !== undefined) body.note = note.value();
    await post(`/v1/launches/${item.launchId}/tasks/${item.taskId}/complete`, body);
    await reload(`Completed "${item.title}" for ${item.launchName}.`);
  });
}

function blockForm(item: InboxItem, idPrefix: string, reload: (message: string) => Promise<void>): HTMLFormElement {
  const reason = fieldInput(idPrefix, 'reason', { label: 'Why is it blocked?', multiline: true, required: true });
  return problemForm(`Block "${item.title}"`, [reason], 'Block task', async () => {
    await post(`/v1/launches/${item.launchId}/tasks/${item.taskId}/block`, { reason: reason.value() ?? '' });
    await reload(`Blocked "${item.title}" for ${item.launchName}.`);
  });
}
