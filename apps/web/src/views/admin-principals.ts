import type { components } from '../../../../clients/typescript/schema.js';
import { del, get, post } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { confirmButton, labelledField, problemForm } from '../widgets.js';

type ListedPrincipal = components['schemas']['Principal'];
type CreatedPrincipal = components['schemas']['CreatedPrincipal'];
const ROLES: Array<[ListedPrincipal['role'], string]> = [
  ['launch-manager', 'Launch manager'],
  ['department', 'Department'],
  ['auditor', 'Auditor'],
  ['admin', 'Administrator'],
];

/** Admins only: every principal, create one (its token shown once), revoke one (after a confirmation). */
export const renderPrincipals: Page = async (main, context) => {
  if (context.principal.role !== 'admin') {
    replaceChildren(main, h('h1', {}, 'Principals'), h('p', {}, 'Only administrators manage principals.'));
    return;
  }
  const principals = await get<ListedPrincipal[]>('/v1/principals');
  const created = h('div', { id: 'created-token' });
  const status = h('p', { class: 'success', role: 'status', id: 'principals-status' });
  const listSlot = h('div', {});
  const refresh = async (message: string) => {
    replaceChildren(listSlot, principalTable(context, await get<ListedPrincipal[]>('/v1/principals'), refresh));
    status.textContent = message;
    announce(message);
  };
  replaceChildren(listSlot, principalTable(context, principals, refresh));
  replaceChildren(
    main,
    h('h1', {}, 'Principals'),
    h('p', { class: 'muted' }, 'Who may use the API and this dashboard, with which role. Tokens are stored hashed: each is shown once, when it is created.'),
    createForm(context, async (principal) => {
      replaceChildren(created, tokenOnce(principal));
      created.querySelector<HTMLElement>('h2')?.focus();
      await refresh(`Created ${principal.name}.`).catch(() => undefined);
    }),
    created,
    status,
    h('h2', {}, 'All principals'),
    listSlot,
  );
};

function createForm(context: PageContext, onCreated: (principal: CreatedPrincipal) => Promise<void>): HTMLFormElement {
  const name = labelledField(
    'new-principal',
    'name',
    'Name',
    h('input', { type: 'text', autocomplete: 'off' }),
    'A person or a system, e.g. "Sales ops integration"',
  );
  const roleSelect = h(
    'select',
    {},
    ROLES.map(([value, label]) => h('option', { value }, label)),
  );
  const role = labelledField('new-principal', 'role', 'Role', roleSelect);
  const departmentSelect = h(
    'select',
    {},
    h('option', { value: '' }, 'Choose a department…'),
    context.departments.map((d) => h('option', { value: d.key }, d.name)),
  );
  const department = labelledField('new-principal', 'department', 'Department', departmentSelect, 'Only for the department role');
  const showDepartment = () => (department.wrapper.hidden = roleSelect.value !== 'department');
  roleSelect.addEventListener('change', showDepartment);
  showDepartment();
  const form = problemForm('Create a principal', [name, role, department], 'Create principal', async () => {
    const input = name.input as HTMLInputElement;
    const principal = await post<CreatedPrincipal>('/v1/principals', {
      name: input.value.trim(),
      role: roleSelect.value,
      ...(roleSelect.value === 'department' && departmentSelect.value ? { department: departmentSelect.value } : {}),
    });
    input.value = '';
    await onCreated(principal);
  });
  form.classList.add('admin-form');
  return form;
}

/** The token, once: a read-only field to select, a copy button, and the warning that it will not be shown again. */
function tokenOnce(principal: CreatedPrincipal): HTMLElement {
  const field = h('input', { type: 'text', readonly: true, id: 'new-token', value: principal.token, class: 'token', spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span', { class: 'success', role: 'status' });
  const copy = h('button', { type: 'button', class: 'primary' }, 'Copy token');
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(principal.token);
      copied.textContent = 'Copied to the clipboard.';
    } catch {
      copied.textContent = 'Copying is not allowed here: the token is selected, copy it with your keyboard.';
    }
  });
  return h(
    'section',
    { class: 'card token-once', 'aria-labelledby': 'token-title' },
    h('h2', { id: 'token-title', tabindex: -1 }, `Token for ${principal.name}`),
    h(
      'p',
      { class: 'warning' },
      'Copy this token now and hand it over safely. It is shown only this once: Launch Control keeps only its hash and cannot show it again.',
    ),
    h('label', { for: 'new-token' }, 'Token'),
    h('div', { class: 'token-row' }, field, copy),
    copied,
  );
}

function principalTable(context: PageContext, principals: ListedPrincipal[], refresh: (message: string) => Promise<void>): HTMLElement {
  const sorted = [...principals].sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) || a.name.localeCompare(b.name));
  const headings = ['Name', 'Role', 'Department', 'Created', 'Access'];
  return h(
    'table',
    { class: 'principals stack-on-phone' },
    h('caption', { class: 'visually-hidden' }, 'Principals, active first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headings.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      sorted.map((principal) =>
        h(
          'tr',
          { 'data-principal-id': principal.id },
          h('th', { scope: 'row' }, principal.name),
          h('td', { 'data-label': 'Role' }, ROLES.find(([value]) => value === principal.role)?.[1] ?? principal.role),
          h('td', { 'data-label': 'Department' }, principal.department ? departmentName(context, principal.department) : '—'),
          h('td', { 'data-label': 'Created' }, h('time', { datetime: principal.createdAt }, formatInstant(principal.createdAt))),
          h(
            'td',
            { 'data-label': 'Access' },
            principal.revokedAt
              ? h('span', { class: 'muted' }, 'Revoked ', h('time', { datetime: principal.revokedAt }, formatInstant(principal.revokedAt)))
              : principal.id === context.principal.id
                ? h('span', { class: 'muted' }, 'Active (you)')
                : confirmButton(
                    ['Revoke', h('span', { class: 'visually-hidden' }, ` ${principal.name}`)],
                    `Revoke ${principal.name}'s access now?`,
                    'Yes, revoke',
                    async () => {
                      await del(`/v1/principals/${encodeURIComponent(principal.id)}`);
                      await refresh(`Revoked ${principal.name}: their token no longer works.`);
                    },
                  ),
          ),
        ),
      ),
    ),
  );
}
