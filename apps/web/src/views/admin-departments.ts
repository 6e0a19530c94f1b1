import { ApiError, get, post, put } from '../api.js';
import type { Page, PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { mapBounded } from '../map-bounded.js';
import type { components } from '../../../../clients/typescript/schema.js';
import { problemBox } from '../widgets.js';

type Settings = components['schemas']['DepartmentSettings'];
type DigestRun = components['schemas']['DigestRun'];

/** `#/admin/departments` (admins): each department's digest address, and today's digests sent now. */
export const renderDepartmentSettings: Page = async (main, context) => {
  if (context.principal.role !== 'admin') {
    replaceChildren(main, h('h1', {}, 'Departments'), h('p', {}, 'Only admins manage department settings.'));
    return;
  }
  const settings = await mapBounded(context.departments, 3, (d) => get<Settings>(`/v1/departments/${d.key}/settings`));
  replaceChildren(
    main,
    h('h1', {}, 'Departments'),
    h('p', {}, 'Each department’s daily digest (due within 3 days, overdue, blocked, stale) goes to its address.'),
    h(
      'div',
      { class: 'settings-list' },
      settings.map((s) => settingsForm(context, s)),
    ),
    digestPanel(),
  );
};

function settingsForm(context: PageContext, settings: Settings): HTMLElement {
  const name = context.departments.find((d) => d.key === settings.department)?.name ?? settings.department;
  const id = `email-${settings.department}`;
  const email = h('input', { type: 'email', id, value: settings.email ?? '', autocomplete: 'off', 'aria-describedby': `${id}-error ${id}-saved` });
  const error = h('span', { class: 'field-error', id: `${id}-error` });
  const saved = h(
    'span',
    { class: 'muted', id: `${id}-saved`, role: 'status' },
    settings.updatedAt ? `Saved ${formatInstant(settings.updatedAt)}` : 'No address yet',
  );
  const form = h(
    'form',
    { class: 'owner-form card', 'data-department': settings.department, novalidate: true, 'aria-label': `${name} settings` },
    h('div', { class: 'field' }, h('label', { for: id }, `${name}: digest e-mail`), email, error, saved),
    h('button', { type: 'submit' }, `Save ${name}`),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    email.removeAttribute('aria-invalid');
    try {
      const answer = await put<Settings>(`/v1/departments/${settings.department}/settings`, { email: email.value.trim() || null });
      saved.textContent = answer.email ? `Saved: ${answer.email}` : 'Saved: no address';
      announce(saved.textContent);
    } catch (failure) {
      error.textContent = (failure instanceof ApiError && failure.fieldMessage('email')) || (failure as Error).message;
      email.setAttribute('aria-invalid', 'true');
      email.focus();
    }
  });
  return form;
}

function digestPanel(): HTMLElement {
  const result = h('div', { class: 'digest-result', role: 'status' });
  const run = h('button', { type: 'button', class: 'primary' }, 'Send today’s digests now');
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      const answer = await post<DigestRun>('/v1/admin/digests/run', undefined);
      replaceChildren(
        result,
        h('p', {}, `Digests for ${answer.date}: ${answer.sent.length} sent, ${answer.skipped.length} skipped.`),
        h(
          'ul',
          { class: 'digest-list' },
          answer.sent.map((sent) =>
            h('li', { 'data-recipient': sent.recipient }, `${sent.recipient}: e-mail ${sent.email}, ${sent.items} item${sent.items === 1 ? '' : 's'}`),
          ),
          answer.skipped.map((skipped) =>
            h('li', { 'data-recipient': skipped.recipient }, `${skipped.recipient}: skipped, ${skipped.reason} (${formatInstant(skipped.at)})`),
          ),
        ),
      );
    } catch (error) {
      replaceChildren(result, problemBox((error as Error).message));
    } finally {
      run.disabled = false;
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'digests-title' },
    h('h2', { id: 'digests-title' }, 'Daily digests'),
    h('p', {}, 'Sent once a day per department and owner, across every instance. Sending now sends only what has not been sent today.'),
    run,
    result,
  );
}
