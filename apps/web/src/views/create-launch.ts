import { get } from '../api.js';
import { idempotencyKeys, sendCommand, type CommandResult } from '../commands.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { setFlash } from '../flash.js';
import { todayUtc } from '../format.js';
import { mayManage } from '../role-rules.js';
import type { TierTemplate } from '../types.js';
import { flag } from '../widgets.js';
import { clearFieldErrors, showProblem } from './command-form.js';
import { fieldInput, selectField } from './detail-fields.js';

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/**
 * Creates a launch from a tier template: the form, a preview of the checklist the template gives
 * for the chosen target date (due dates, dependencies, tasks that would already be overdue), the
 * API's messages next to the fields, then the new launch's room (with the API's warnings, if any).
 */
export const renderCreateLaunch: Page = async (main, context) => {
  if (!mayManage(context.principal)) {
    replaceChildren(main, h('h1', {}, 'New launch'), h('p', {}, 'Only launch managers and admins create launches.'));
    return;
  }
  const templates = await get<TierTemplate[]>('/v1/templates');
  const name = fieldInput('create', 'name', { label: 'Name', required: true, hint: 'e.g. Aurora GA' });
  const product = fieldInput('create', 'product', { label: 'Product', required: true });
  const description = fieldInput('create', 'description', { label: 'Description (optional)', multiline: true });
  const targetDate = fieldInput('create', 'targetDate', { label: 'Target date', type: 'date', required: true, hint: 'The launch day (UTC)' });
  const tier = selectField('create', 'tier', {
    label: 'Tier',
    hint: 'Selects the checklist template',
    choices: templates.map((t) => ({ value: String(t.tier), label: `${t.name} (${t.tasks.length} tasks)` })),
    parse: Number,
  });
  const backfill = h('input', { type: 'checkbox', id: 'create-backfill', name: 'backfill' });
  const backfillField = h(
    'div',
    { class: 'field checkbox', hidden: true },
    h('label', { for: 'create-backfill' }, backfill, ' Backfill: record a launch whose day has already passed'),
  );
  const fields = [name, product, description, targetDate, tier];
  const summary = h('div', { class: 'form-problem' });
  const preview = h('div', { class: 'checklist-preview', id: 'checklist-preview', 'aria-live': 'polite' });
  const keyFor = idempotencyKeys();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'create-submit' }, 'Create launch');
  const form = h(
    'form',
    { class: 'action-form create-launch', novalidate: true, 'aria-labelledby': 'create-title' },
    summary,
    fields.map((field) => field.wrapper),
    backfillField,
    submit,
  );

  const showPreview = () => {
    const date = String(targetDate.input.value);
    const template = templates.find((t) => String(t.tier) === tier.input.value);
    backfillField.hidden = !(isDate(date) && date < todayUtc());
    replaceChildren(preview, template ? checklistPreview(context, template, isDate(date) ? date : undefined) : null);
  };
  targetDate.input.addEventListener('input', showPreview);
  tier.input.addEventListener('change', showPreview);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(fields, summary);
    submit.disabled = true;
    try {
      const body: Record<string, unknown> = {
        name: name.value() ?? '',
        product: product.value() ?? '',
        targetDate: targetDate.value() ?? '',
        tier: tier.value(),
      };
      if (description.value() !== undefined) body.description = description.value();
      if (backfill.checked && !backfillField.hidden) body.backfill = true;
      const created: CommandResult = await sendCommand('POST', '/v1/launches', body, undefined, keyFor(body));
      setFlash([`Created ${String(name.value())}.`, ...warningLines(context, created)]);
      location.hash = `#/launches/${created.launchId}`;
    } catch (error) {
      showProblem(error, fields, summary);
    } finally {
      submit.disabled = false;
    }
  });

  replaceChildren(
    main,
    h('h1', { id: 'create-title' }, 'New launch'),
    h('nav', { class: 'page-links', 'aria-label': 'New launch' }, h('a', { href: '#/launches' }, '← All launches')),
    h('div', { class: 'create-layout' }, form, preview),
  );
  showPreview();
  name.input.focus();
};

/** The answer's `warnings` (creation, reschedule) as sentences. */
export function warningLines(context: PageContext, created: CommandResult): string[] {
  return (created.warnings ?? []).map((warning) =>
    warning.code === 'TaskAlreadyOverdue'
      ? `Warning: ${warning.title ?? 'a task'} (${warning.department ? departmentName(context, warning.department) : 'no department'}) was due ${warning.dueDate ?? 'already'}, before today: it is overdue from the start.`
      : `Warning: ${warning.code}${warning.title ? ` — ${warning.title}` : ''}`,
  );
}

/** The tasks the template gives, with due dates counted back from the target date when one is set. */
function checklistPreview(context: PageContext, template: TierTemplate, targetDate: string | undefined): HTMLElement {
  const today = todayUtc();
  const titles = new Map(template.tasks.map((t) => [t.key, t.title]));
  const rows = template.tasks
    .map((task) => ({ task, due: targetDate ? addDays(targetDate, -task.dueDaysBeforeLaunch) : undefined }))
    .sort((a, b) => b.task.dueDaysBeforeLaunch - a.task.dueDaysBeforeLaunch);
  const overdue = rows.filter((row) => row.due && row.due < today);
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, `Checklist: ${template.name}`),
    h(
      'p',
      { class: overdue.length ? 'preview-warning' : 'muted', id: 'preview-summary' },
      !targetDate
        ? 'Choose a target date to see the due dates.'
        : overdue.length
          ? `${overdue.length} task${overdue.length === 1 ? ' would already be' : 's would already be'} overdue: ${overdue.map((r) => r.task.title).join(', ')}.`
          : `No task would be overdue: the first is due ${rows[0]?.due ?? targetDate}.`,
    ),
    template.policy?.requireGoVotes ? h('p', { class: 'muted' }, 'Policy: go needs a go vote from every department with required tasks.') : null,
    h(
      'ul',
      { class: 'preview-tasks' },
      rows.map(({ task, due }) =>
        h(
          'li',
          { 'data-key': task.key },
          h('span', { class: 'task-title' }, task.title),
          ' ',
          h('span', { class: 'flags' }, due && due < today ? flag('Overdue', 'overdue') : null, task.required ? null : flag('Optional', 'neutral')),
          h(
            'div',
            { class: 'muted' },
            `${departmentName(context, task.department)} · `,
            due ? ['due ', h('time', { datetime: due }, due)] : `${task.dueDaysBeforeLaunch} days before launch`,
            task.dependsOn?.length ? ` · after ${task.dependsOn.map((key) => titles.get(key) ?? key).join(', ')}` : '',
          ),
        ),
      ),
    ),
  );
}
