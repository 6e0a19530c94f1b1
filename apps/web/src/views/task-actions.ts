import { ChangedMeanwhile, sendCommand } from '../commands.js';
import { departmentName } from '../context.js';
import { h } from '../dom.js';
import { acceptsCommands, mayManage, mayWorkOn } from '../role-rules.js';
import { canComplete, isSignedOff } from '../task-rules.js';
import type { Task } from '../types.js';
import { openCommandDialog } from './command-form.js';
import { detailInputs, fieldInput, selectField } from './detail-fields.js';
import type { Room } from './room.js';

const KINDS = ['generic', 'messaging', 'sales-training', 'pr', 'pricing', 'support-training', 'docs', 'release'];

const taskPath = (room: Room, task: Task, action = '') => `/v1/launches/${room.launch().launchId}/tasks/${task.taskId}${action}`;

function button(label: string, focusKey: string, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', class: 'small', 'data-focus-key': focusKey }, label);
  element.addEventListener('click', onClick);
  return element;
}

/**
 * The commands on one task the signed-in principal may send and the task's state allows: complete,
 * block, unblock (its department, managers); waive, reopen, reschedule (managers). "Complete…" only
 * once every task it depends on is signed off.
 */
export function taskActions(room: Room, task: Task): HTMLElement | null {
  const launch = room.launch();
  const { principal } = room.context;
  if (!acceptsCommands(launch.status)) return null;
  const buttons: HTMLButtonElement[] = [];
  const short = task.taskId.slice(0, 8);
  if (mayWorkOn(principal, task)) {
    if (canComplete(task, launch)) buttons.push(button('Complete…', `complete-${task.taskId}`, () => complete(room, task, short)));
    if (task.status === 'open' || task.status === 'stale') buttons.push(button('Block…', `block-${task.taskId}`, () => block(room, task, short)));
    if (task.status === 'blocked') buttons.push(button('Unblock', `unblock-${task.taskId}`, () => void unblock(room, task)));
  }
  if (!mayManage(principal)) return buttons.length ? group(task, buttons) : null;
  if (!isSignedOff(task)) buttons.push(button('Waive…', `waive-${task.taskId}`, () => waive(room, task, short)));
  if (task.status === 'completed' || task.status === 'waived' || task.status === 'stale')
    buttons.push(button('Reopen…', `reopen-${task.taskId}`, () => reopen(room, task, short)));
  buttons.push(button('Reschedule…', `reschedule-${task.taskId}`, () => reschedule(room, task, short)));
  return group(task, buttons);
}

const group = (task: Task, buttons: HTMLButtonElement[]) =>
  h('div', { class: 'actions task-actions', role: 'group', 'aria-label': `Actions on ${task.title}` }, buttons);

function complete(room: Room, task: Task, short: string): void {
  const details = detailInputs(`complete-${short}`, room.detailFields(task.kind));
  const evidenceUrl = fieldInput(`complete-${short}`, 'evidenceUrl', { label: 'Evidence link (optional)', type: 'url' });
  const note = fieldInput(`complete-${short}`, 'note', { label: 'Note (optional)', multiline: true });
  openCommandDialog({
    title: `Complete "${task.title}"`,
    intro: details.length ? `A ${task.kind} sign-off records these details as its evidence.` : undefined,
    fields: [...details, evidenceUrl, note],
    submitLabel: 'Complete task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => {
      const body: Record<string, unknown> = {};
      if (details.length)
        body.details = Object.fromEntries(details.map((d) => [d.field.slice('details.'.length), d.value()]).filter(([, value]) => value !== undefined));
      if (evidenceUrl.value() !== undefined) body.evidenceUrl = evidenceUrl.value();
      if (note.value() !== undefined) body.note = note.value();
      return sendCommand('POST', taskPath(room, task, '/complete'), body, revision);
    },
    done: (result) => room.done(`Completed "${task.title}".`, result),
  });
}

function block(room: Room, task: Task, short: string): void {
  const reason = fieldInput(`block-${short}`, 'reason', { label: 'Why is it blocked?', multiline: true, required: true });
  openCommandDialog({
    title: `Block "${task.title}"`,
    fields: [reason],
    submitLabel: 'Block task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', taskPath(room, task, '/block'), { reason: reason.value() ?? '' }, revision),
    done: (result) => room.done(`Blocked "${task.title}".`, result),
  });
}

async function unblock(room: Room, task: Task): Promise<void> {
  try {
    const result = await sendCommand('POST', taskPath(room, task, '/unblock'), {}, room.launch().revision);
    await room.done(`Unblocked "${task.title}".`, result);
  } catch (error) {
    if (error instanceof ChangedMeanwhile) await room.reload().catch(() => undefined);
    room.refused(error);
  }
}

function waive(room: Room, task: Task, short: string): void {
  const reason = fieldInput(`waive-${short}`, 'reason', { label: 'Why is it waived?', multiline: true, required: true });
  openCommandDialog({
    title: `Waive "${task.title}"`,
    intro: 'A waived task counts as done for readiness and go/no-go. The reason is recorded.',
    fields: [reason],
    submitLabel: 'Waive task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', taskPath(room, task, '/waive'), { reason: reason.value() ?? '' }, revision),
    done: (result) => room.done(`Waived "${task.title}".`, result),
  });
}

function reopen(room: Room, task: Task, short: string): void {
  const reason = fieldInput(`reopen-${short}`, 'reason', { label: 'Why is it reopened?', multiline: true, required: true });
  const dependents = room.launch().tasks.filter((t) => t.status === 'completed' && t.dependsOn?.includes(task.taskId));
  openCommandDialog({
    title: `Reopen "${task.title}"`,
    intro: dependents.length
      ? `Completed tasks that depend on it become stale and must be signed off again: ${dependents.map((t) => t.title).join(', ')}.`
      : 'The sign-off no longer counts; the task is open again.',
    fields: [reason],
    submitLabel: 'Reopen task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', taskPath(room, task, '/reopen'), { reason: reason.value() ?? '' }, revision),
    done: (result) => room.done(`Reopened "${task.title}".`, result),
  });
}

function reschedule(room: Room, task: Task, short: string): void {
  const dueDate = fieldInput(`reschedule-${short}`, 'dueDate', { label: 'New due date', type: 'date', required: true });
  dueDate.input.value = task.dueDate;
  openCommandDialog({
    title: `Reschedule "${task.title}"`,
    intro: `Due ${task.dueDate} now; the launch's target date is ${room.launch().targetDate}.`,
    fields: [dueDate],
    submitLabel: 'Reschedule task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('PATCH', taskPath(room, task), { dueDate: dueDate.value() ?? '' }, revision),
    done: (result) =>
      room.done(
        result.events.length ? `Rescheduled "${task.title}" to ${String(dueDate.value())}.` : `"${task.title}" was already due then: nothing changed.`,
        result,
      ),
  });
}

/** Adds a task to the launch: title, department, kind, required, due date, and the tasks it depends on. */
export function addTask(room: Room): void {
  const launch = room.launch();
  const title = fieldInput('add-task', 'title', { label: 'Title', required: true });
  const department = selectField('add-task', 'department', {
    label: 'Department',
    choices: [{ value: '', label: 'Choose…' }, ...room.context.departments.map((d) => ({ value: d.key, label: d.name }))],
  });
  const kind = selectField('add-task', 'kind', {
    label: 'Kind',
    hint: 'Decides the evidence its completion needs',
    choices: KINDS.map((k) => ({ value: k, label: k })),
  });
  const required = selectField('add-task', 'required', {
    label: 'Counts for readiness',
    choices: [
      { value: 'true', label: 'Required' },
      { value: 'false', label: 'Optional' },
    ],
    parse: (value) => value === 'true',
  });
  const dueDate = fieldInput('add-task', 'dueDate', { label: 'Due date', type: 'date', hint: `Leave empty for the target date, ${launch.targetDate}` });
  const dependsOn = selectField('add-task', 'dependsOn', {
    label: 'Depends on (optional)',
    hint: 'Tasks whose sign-off must stand first; Ctrl or Cmd selects several',
    multiple: true,
    choices: launch.tasks.map((t) => ({ value: t.taskId, label: `${t.title} (${departmentName(room.context, t.department)})` })),
  });
  const fields = [title, department, kind, required, dueDate, dependsOn];
  openCommandDialog({
    title: 'Add a task',
    fields,
    submitLabel: 'Add task',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => {
      const body: Record<string, unknown> = { title: title.value() ?? '', department: department.value() ?? '' };
      for (const field of [kind, required, dueDate]) if (field.value() !== undefined) body[field.field] = field.value();
      const depends = dependsOn.value() as string[];
      if (depends.length) body.dependsOn = depends;
      return sendCommand('POST', `/v1/launches/${launch.launchId}/tasks`, body, revision);
    },
    done: (result) => room.done(`Added "${String(title.value())}".`, result),
  });
}
