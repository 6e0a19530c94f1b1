import { sendCommand } from '../commands.js';
import { h, replaceChildren } from '../dom.js';
import { isOverdue } from '../format.js';
import type { InboxItem } from '../types.js';
import { flag, problemBox, problemForm } from '../widgets.js';
import { detailInputs, fieldInput } from './detail-fields.js';

/**
 * One task the department owes: its launch, kind, due date and owner; "Complete…" only when the
 * task's dependencies are signed off (`waitsOn` names what it waits on otherwise), block or unblock.
 */
export function inboxItem(
  item: InboxItem,
  detailFields: string[],
  reload: (message: string) => Promise<void>,
  canAct: boolean,
  waitsOn: string | undefined,
): HTMLElement {
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

  const actions: HTMLElement[] = item.status !== 'blocked' && !waitsOn && (item.status === 'open' || item.status === 'stale') ? [completeButton] : [];
  if (item.status === 'blocked') {
    const unblock = h('button', { type: 'button' }, 'Unblock');
    unblock.addEventListener('click', async () => {
      try {
        await sendCommand('POST', `/v1/launches/${item.launchId}/tasks/${item.taskId}/unblock`, {});
        await reload(`Unblocked "${item.title}" for ${item.launchName}.`);
      } catch (error) {
        replaceChildren(panel, problemBox((error as Error).message));
      }
    });
    actions.push(unblock);
  } else if (item.status === 'open' || item.status === 'stale') actions.push(blockButton);

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
    h('p', { class: 'muted task-owner-line' }, item.owner ? `Owner: ${item.owner.name} <${item.owner.email}>` : 'No owner'),
    waitsOn ? h('p', { class: 'waiting' }, `${waitsOn}.`) : null,
    canAct && actions.length > 0 ? [h('div', { class: 'actions' }, actions), panel] : null,
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
    await sendCommand('POST', `/v1/launches/${item.launchId}/tasks/${item.taskId}/complete`, body);
    await reload(`Completed "${item.title}" for ${item.launchName}.`);
  });
}

function blockForm(item: InboxItem, idPrefix: string, reload: (message: string) => Promise<void>): HTMLFormElement {
  const reason = fieldInput(idPrefix, 'reason', { label: 'Why is it blocked?', multiline: true, required: true });
  return problemForm(`Block "${item.title}"`, [reason], 'Block task', async () => {
    await sendCommand('POST', `/v1/launches/${item.launchId}/tasks/${item.taskId}/block`, { reason: reason.value() ?? '' });
    await reload(`Blocked "${item.title}" for ${item.launchName}.`);
  });
}
