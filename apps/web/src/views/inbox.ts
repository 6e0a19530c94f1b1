import { ApiError, get, post } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { isOverdue } from '../format.js';
import type { InboxItem, TierTemplate } from '../types.js';
import { flag, problemBox } from '../widgets.js';
import { detailInputs, fieldInput, type FieldInput } from './detail-fields.js';

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
  replaceChildren(
    main,
    title,
    context.principal.department ? null : departmentPicker(context, department),
    h('p', { id: 'inbox-status', class: 'success', role: 'status' }),
    owed.length === 0
      ? h('p', {}, 'Nothing owed. Every task of this department is completed or waived.')
      : h(
          'ul',
          { class: 'inbox' },
          owed.map((item) => inboxItem(item, fieldsByKind.get(item.kind) ?? [], reload, mayAct(context, department))),
        ),
  );
};

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
      h('h2', { class: 'task-title' }, item.title),
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
  return actionForm(`Complete "${item.title}"`, inputs, 'Complete task', async () => {
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
  return actionForm(`Block "${item.title}"`, [reason], 'Block task', async () => {
    await post(`/v1/launches/${item.launchId}/tasks/${item.taskId}/block`, { reason: reason.value() ?? '' });
    await reload(`Blocked "${item.title}" for ${item.launchName}.`);
  });
}

/** A form whose failures show the API's problem document: field messages next to their fields, the rest on top. */
function actionForm(legend: string, inputs: FieldInput[], submitLabel: string, submit: () => Promise<void>): HTMLFormElement {
  const summary = h('div', { class: 'form-problem' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h(
    'form',
    { class: 'action-form', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, legend),
      summary,
      inputs.map((input) => input.wrapper),
      button,
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(summary);
    for (const input of inputs) {
      input.error.textContent = '';
      input.input.removeAttribute('aria-invalid');
    }
    button.disabled = true;
    try {
      await submit();
    } catch (error) {
      if (!(error instanceof ApiError)) {
        replaceChildren(summary, problemBox((error as Error).message));
        return;
      }
      const unplaced: string[] = [];
      for (const fieldError of error.problem.errors ?? []) {
        const input = inputs.find((candidate) => candidate.field === fieldError.field);
        if (input) {
          input.error.textContent = fieldError.message;
          input.input.setAttribute('aria-invalid', 'true');
        } else unplaced.push(`${fieldError.field} ${fieldError.message}`);
      }
      replaceChildren(summary, problemBox([error.problem.title ?? `Error ${error.status}`, error.problem.detail, ...unplaced].filter(Boolean).join(': ')));
      (inputs.find((input) => input.input.hasAttribute('aria-invalid'))?.input ?? summary.querySelector<HTMLElement>('.problem'))?.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
