import { sendCommand } from '../commands.js';
import { h } from '../dom.js';
import { acceptsCommands, mayManage } from '../role-rules.js';
import { openCommandDialog } from './command-form.js';
import { fieldInput } from './detail-fields.js';
import type { Room } from './room.js';
import { warningLines } from './create-launch.js';
import { addTask } from './task-actions.js';

const launchPath = (room: Room, action: string) => `/v1/launches/${room.launch().launchId}/${action}`;

/** The launch manager's commands on the launch as a whole; nothing for whoever may not send them. */
export function launchActions(room: Room): HTMLElement | null {
  const launch = room.launch();
  if (!mayManage(room.context.principal) || !acceptsCommands(launch.status)) return null;
  const entries: Array<[string, () => void]> = [
    ['Add task…', () => addTask(room)],
    ['Reschedule launch…', () => rescheduleLaunch(room)],
    ['Edit details…', () => editDetails(room)],
  ];
  if (launch.status === 'go') entries.push(['Mark launched…', () => markLaunched(room)]);
  entries.push(['Cancel launch…', () => cancelLaunch(room)]);
  return h(
    'div',
    { class: 'actions launch-actions', role: 'group', 'aria-label': 'Launch actions' },
    entries.map(([label, open]) => {
      const button = h('button', { type: 'button', 'data-focus-key': `launch-${label}`, class: label.startsWith('Cancel') ? 'danger-outline' : '' }, label);
      button.addEventListener('click', open);
      return button;
    }),
  );
}

function rescheduleLaunch(room: Room): void {
  const launch = room.launch();
  const targetDate = fieldInput('reschedule-launch', 'targetDate', { label: 'New target date', type: 'date', required: true });
  targetDate.input.value = launch.targetDate;
  const reason = fieldInput('reschedule-launch', 'reason', { label: 'Why?', multiline: true, required: true });
  openCommandDialog({
    title: `Reschedule ${launch.name}`,
    intro: `Target ${launch.targetDate} now. Open tasks' due dates move by the same number of days.`,
    fields: [targetDate, reason],
    submitLabel: 'Reschedule launch',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', launchPath(room, 'reschedule'), { targetDate: targetDate.value() ?? '', reason: reason.value() ?? '' }, revision),
    done: (result) =>
      room.done(
        [
          result.events.length ? `Rescheduled to ${String(targetDate.value())}.` : 'Same target date: nothing changed.',
          ...warningLines(room.context, result),
        ].join(' '),
        result,
      ),
  });
}

/** Name, product and description (PATCH /v1/launches/{id}); a description can be replaced, not removed. */
function editDetails(room: Room): void {
  const launch = room.launch();
  const name = fieldInput('edit-launch', 'name', { label: 'Name', required: true });
  const product = fieldInput('edit-launch', 'product', { label: 'Product', required: true });
  const description = fieldInput('edit-launch', 'description', { label: 'Description', multiline: true });
  name.input.value = launch.name;
  product.input.value = launch.product;
  description.input.value = launch.description ?? '';
  openCommandDialog({
    title: `Edit ${launch.name}`,
    fields: [name, product, description],
    submitLabel: 'Save details',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => {
      const body: Record<string, unknown> = { name: name.value() ?? '', product: product.value() ?? '' };
      if (description.value() !== undefined) body.description = description.value();
      return sendCommand('PATCH', `/v1/launches/${launch.launchId}`, body, revision);
    },
    done: (result) => room.done(result.events.length ? 'Saved the launch’s details.' : 'Nothing changed.', result),
  });
}

function cancelLaunch(room: Room): void {
  const reason = fieldInput('cancel-launch', 'reason', { label: 'Why is it cancelled?', multiline: true, required: true });
  openCommandDialog({
    title: `Cancel ${room.launch().name}`,
    intro: 'A cancelled launch accepts no further commands. This cannot be undone.',
    fields: [reason],
    submitLabel: 'Cancel the launch',
    danger: true,
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', launchPath(room, 'cancel'), { reason: reason.value() ?? '' }, revision),
    done: (result) => room.done('The launch is cancelled.', result),
  });
}

function markLaunched(room: Room): void {
  const note = fieldInput('mark-launched', 'note', { label: 'Note (optional)', multiline: true });
  openCommandDialog({
    title: `Mark ${room.launch().name} launched`,
    intro: 'The launch is live. Afterwards it accepts no further commands.',
    fields: [note],
    submitLabel: 'Mark launched',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', launchPath(room, 'launched'), note.value() === undefined ? {} : { note: note.value() }, revision),
    done: (result) => room.done('Launched.', result),
  });
}
