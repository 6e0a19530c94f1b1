import { get } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { isOverdue } from '../format.js';
import type { components } from '../../../../clients/typescript/schema.js';
import { flag, problemBox } from '../widgets.js';
import { statusFilter } from './status-filter.js';

type OwnerTask = components['schemas']['OwnerTaskItem'];

/** Where the tab remembers whose tasks to show (the same browser, the same person, most of the time). */
const EMAIL_KEY = 'launch-control.my-tasks.email';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
let statuses = ['open', 'blocked', 'stale'];

/** The principal's own address when it has one (single sign-on), or a name that is an address. */
function principalEmail({ principal }: PageContext): string {
  const email = (principal as { email?: string | null }).email;
  if (email) return email;
  return EMAIL.test(principal.name) ? principal.name : '';
}

/** `#/my-tasks`: one person's tasks across launches and departments (`GET /v1/tasks?owner=&status=`). */
export const renderMyTasks: Page = async (main, context) => {
  const email = h('input', { type: 'email', id: 'my-email', autocomplete: 'email', value: localStorage.getItem(EMAIL_KEY) ?? principalEmail(context) });
  const error = h('span', { class: 'field-error', id: 'my-email-error' });
  email.setAttribute('aria-describedby', 'my-email-error');
  const results = h('div', { class: 'my-tasks' });
  const status = h('p', { class: 'muted', role: 'status', id: 'my-tasks-count' });
  const form = h(
    'form',
    { class: 'owner-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'my-email' }, 'Owner’s e-mail'), email, error),
    h('button', { type: 'submit', class: 'primary' }, 'Show tasks'),
  );
  const load = async () => {
    const address = email.value.trim();
    error.textContent = '';
    email.removeAttribute('aria-invalid');
    if (!EMAIL.test(address)) {
      error.textContent = 'Enter the e-mail address tasks are assigned to.';
      email.setAttribute('aria-invalid', 'true');
      replaceChildren(results);
      status.textContent = '';
      return;
    }
    localStorage.setItem(EMAIL_KEY, address);
    try {
      const tasks = await get<OwnerTask[]>(`/v1/tasks?owner=${encodeURIComponent(address)}&status=${statuses.join(',')}`);
      replaceChildren(results, tasks.length === 0 ? h('p', {}, 'No task matches.') : taskList(context, tasks));
      status.textContent = `${tasks.length} task${tasks.length === 1 ? '' : 's'} owned by ${address}.`;
      announce(status.textContent);
    } catch (failure) {
      replaceChildren(results, problemBox((failure as Error).message));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  const filter = statusFilter('my-status-filter', 'Show tasks that are', statuses, (chosen) => {
    statuses = chosen.length ? chosen : ['open', 'blocked', 'stale'];
    void load();
  });
  replaceChildren(main, h('h1', {}, 'My tasks'), form, filter, status, results);
  if (email.value) await load();
  else email.focus();
};

function taskList(context: PageContext, tasks: OwnerTask[]): HTMLElement {
  return h(
    'ul',
    { class: 'inbox' },
    tasks.map((task) =>
      h(
        'li',
        { class: 'card inbox-item', 'data-task-id': task.taskId },
        h(
          'div',
          { class: 'task-line' },
          h('h2', { class: 'task-title' }, task.title),
          h(
            'span',
            { class: 'flags' },
            task.status === 'blocked' ? flag('Blocked', 'blocked') : null,
            task.status === 'stale' ? flag('Stale', 'overdue') : null,
            task.status === 'completed' || task.status === 'waived' ? flag(task.status === 'completed' ? 'Completed' : 'Waived', 'done') : null,
            isOverdue(task) ? flag('Overdue', 'overdue') : null,
          ),
        ),
        h(
          'p',
          { class: 'muted' },
          h('a', { href: `#/launches/${task.launchId}` }, task.launchName),
          ` · ${departmentName(context, task.department)} · due `,
          h('time', { datetime: task.dueDate }, task.dueDate),
          ` · launch ${task.targetDate}`,
        ),
      ),
    ),
  );
}
