import { ApiError } from '../api.js';
import { ChangedMeanwhile, CHANGED_MEANWHILE_MESSAGE, type CommandResult } from '../commands.js';
import { h, replaceChildren, type Child } from '../dom.js';
import { problemBox } from '../widgets.js';
import type { FieldInput } from './detail-fields.js';

/** Clears the messages of the last attempt. */
export function clearFieldErrors(inputs: FieldInput[], summary: HTMLElement): void {
  replaceChildren(summary);
  for (const input of inputs) {
    input.error.textContent = '';
    input.input.removeAttribute('aria-invalid');
  }
}

/**
 * Shows a refusal: each of the problem document's `errors` next to its field, the rest (title,
 * detail, errors about fields the form does not have) in the summary; focus goes to the first
 * field in error, else to the summary.
 */
export function showProblem(error: unknown, inputs: FieldInput[], summary: HTMLElement): void {
  if (!(error instanceof ApiError)) {
    replaceChildren(summary, problemBox((error as Error).message));
    summary.querySelector<HTMLElement>('.problem')?.focus();
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
  const text =
    error instanceof ChangedMeanwhile
      ? CHANGED_MEANWHILE_MESSAGE
      : [error.problem.title ?? `Error ${error.status}`, error.problem.detail, ...unplaced].filter(Boolean).join(': ');
  replaceChildren(summary, problemBox(text));
  (inputs.find((input) => input.input.hasAttribute('aria-invalid'))?.input ?? summary.querySelector<HTMLElement>('.problem'))?.focus();
}

export interface CommandDialogOptions {
  title: string;
  /** What the command will do, shown above the fields. */
  intro?: Child;
  fields: FieldInput[];
  submitLabel: string;
  /** A destructive command's submit button is styled as such. */
  danger?: boolean;
  /** Stays open after a success, its fields emptied (a conversation: comments). */
  keepOpen?: boolean;
  /** The launch revision the user is looking at now (sent as If-Match). */
  revision: () => number;
  send: (revision: number) => Promise<CommandResult>;
  /** After success: reload the room and say what happened. */
  done: (result: CommandResult) => Promise<void>;
  /** After a 412: reload the room (so `revision()` is the latest) before the user tries again. */
  reload: () => Promise<void>;
}

/**
 * A modal dialog with one command's form. It sits outside the live-updated cards, so an update
 * arriving while the user types does not wipe the form. The revision the user saw when opening it is
 * what the command is sent against; if the launch changed meanwhile (412), the room is reloaded, the
 * dialog says so and stays open, and submitting again acts on the latest state.
 */
export function openCommandDialog(options: CommandDialogOptions): HTMLDialogElement {
  let revision = options.revision();
  const titleId = `dialog-title-${Math.random().toString(36).slice(2, 8)}`;
  const summary = h('div', { class: 'form-problem' });
  const submit = h('button', { type: 'submit', class: options.danger ? 'danger' : 'primary' }, options.submitLabel);
  const cancel = h('button', { type: 'button' }, 'Close');
  const form = h(
    'form',
    { class: 'action-form', novalidate: true },
    h('h2', { id: titleId }, options.title),
    options.intro ? h('div', { class: 'dialog-intro' }, options.intro) : null,
    summary,
    options.fields.map((field) => field.wrapper),
    h('div', { class: 'actions' }, options.submitLabel ? submit : null, cancel),
  );
  const dialog = h('dialog', { class: 'command-dialog', 'aria-labelledby': titleId }, form);
  const opener = document.activeElement as HTMLElement | null;
  const openerKey = opener?.dataset.focusKey;
  const close = () => dialog.close();
  dialog.addEventListener('close', () => {
    dialog.remove();
    // A live update may have redrawn the button that opened the dialog: find its successor.
    const back = opener?.isConnected ? opener : openerKey ? document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(openerKey)}"]`) : null;
    back?.focus();
  });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(options.fields, summary);
    submit.disabled = true;
    try {
      const result = await options.send(revision);
      if (!options.keepOpen) close();
      await options.done(result);
      if (options.keepOpen) {
        revision = options.revision();
        for (const field of options.fields) field.input.value = '';
        options.fields[0]?.input.focus();
      }
    } catch (error) {
      if (error instanceof ChangedMeanwhile) {
        await options.reload().catch(() => undefined);
        revision = options.revision();
      }
      showProblem(error, options.fields, summary);
    } finally {
      submit.disabled = false;
    }
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  (options.fields[0]?.input ?? cancel).focus();
  return dialog;
}
