import { ApiError } from './api.js';
import { h, replaceChildren, type Child } from './dom.js';
import { STATUS_LABELS } from './format.js';
import type { ReadinessStatus } from './types.js';

/** A readiness bar: a labelled progressbar coloured by status, with the percentage as text. */
export function readinessBar(percent: number, status: ReadinessStatus, label: string): HTMLElement {
  const fill = h('span', { class: `bar-fill status-${status}` });
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return h(
    'div',
    { class: 'bar-row' },
    h(
      'div',
      {
        class: 'bar',
        role: 'progressbar',
        'aria-label': label,
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': percent,
        'aria-valuetext': `${percent}% ready, ${STATUS_LABELS[status]}`,
        'data-percent': percent,
      },
      fill,
    ),
    h('span', { class: 'bar-value' }, `${percent}%`),
  );
}

export function statusBadge(status: ReadinessStatus): HTMLElement {
  return h('span', { class: `badge status-${status}` }, STATUS_LABELS[status]);
}

export function flag(text: string, kind: 'overdue' | 'blocked' | 'neutral' | 'done'): HTMLElement {
  return h('span', { class: `flag flag-${kind}` }, text);
}

export function problemBox(message: string): HTMLElement {
  return h('p', { class: 'problem', role: 'alert', tabindex: -1 }, message);
}

/** What a form submits, and the fields the API may name in its problem document's `errors`. */
export interface ProblemFormField {
  /** The API's name for it: `name`, `details.version`, `events`… */
  field: string;
  wrapper: HTMLElement;
  input: HTMLElement;
  error: HTMLElement;
}

/**
 * A form whose refusals show the API's problem document: each `errors[]` message next to the field it
 * names (and focus on the first), the rest above the fields. Network failures say so, with the same
 * summary slot. `submit` throws to refuse; the button is disabled while it runs.
 */
export function problemForm(
  legend: string,
  fields: ProblemFormField[],
  submitLabel: string,
  submit: () => Promise<void>,
  extra: Child[] = [],
): HTMLFormElement {
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
      fields.map((field) => field.wrapper),
      extra,
      h('div', { class: 'form-buttons' }, button),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    replaceChildren(summary);
    for (const field of fields) {
      field.error.textContent = '';
      field.input.removeAttribute('aria-invalid');
    }
    button.disabled = true;
    try {
      await submit();
    } catch (error) {
      showProblem(error, fields, summary);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function showProblem(error: unknown, fields: ProblemFormField[], summary: HTMLElement): void {
  if (!(error instanceof ApiError)) {
    replaceChildren(summary, problemBox((error as Error).message));
    summary.querySelector<HTMLElement>('.problem')?.focus();
    return;
  }
  const unplaced: string[] = [];
  for (const fieldError of error.problem.errors ?? []) {
    // `events.0` or `events[0]` belongs to the `events` field.
    const field = fields.find(
      (candidate) =>
        candidate.field === fieldError.field || fieldError.field.startsWith(`${candidate.field}.`) || fieldError.field.startsWith(`${candidate.field}[`),
    );
    if (field) {
      field.error.textContent = [field.error.textContent, fieldError.message].filter(Boolean).join('; ');
      field.input.setAttribute('aria-invalid', 'true');
    } else unplaced.push(`${fieldError.field} ${fieldError.message}`);
  }
  replaceChildren(summary, problemBox([error.problem.title ?? `Error ${error.status}`, error.problem.detail, ...unplaced].filter(Boolean).join(': ')));
  (fields.find((field) => field.input.hasAttribute('aria-invalid'))?.input ?? summary.querySelector<HTMLElement>('.problem'))?.focus();
}

/**
 * A button that asks before it acts: the first press shows "Yes, <verb>" and "Cancel" in its place
 * (no window.confirm: it works with any assistive technology and in tests alike).
 */
export function confirmButton(label: Child, question: string, confirmLabel: string, act: () => Promise<void>): HTMLElement {
  const slot = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', class: 'danger' }, label);
  const reset = () => {
    replaceChildren(slot, start);
  };
  start.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger-strong' }, confirmLabel);
    const no = h('button', { type: 'button' }, 'Cancel');
    const status = h('span', { class: 'confirm-status' });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await act();
      } catch (error) {
        yes.disabled = false;
        replaceChildren(status, problemBox((error as Error).message));
      }
    });
    no.addEventListener('click', () => {
      reset();
      start.focus();
    });
    replaceChildren(slot, h('span', { class: 'confirm-question', role: 'group', 'aria-label': question }, h('span', {}, question), yes, no, status));
    yes.focus();
  });
  reset();
  return slot;
}

/** "Cannot reach the server" with a Retry button; the shell also retries by itself when the server is back. */
export function retryBox(message: string, retry: () => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'primary' }, 'Retry');
  button.addEventListener('click', retry);
  return h(
    'div',
    { class: 'problem offline-box', role: 'alert' },
    h('p', {}, message),
    h('p', {}, 'This page will reload its data by itself as soon as the server answers again.'),
    button,
  );
}

/** A labelled control with its hint and a slot for the API's message about it. */
export function labelledField(
  idPrefix: string,
  field: string,
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): ProblemFormField {
  const id = `${idPrefix}-${field.replace(/\./g, '-')}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  control.id = id;
  control.name = field;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = h('span', { id: errorId, class: 'field-error' });
  const wrapper = h('div', { class: 'field' }, h('label', { for: id }, label), hintId ? h('span', { id: hintId, class: 'help' }, hint) : null, control, error);
  return { field, wrapper, input: control, error };
}
