import { get } from '../api.js';
import { sendCommand } from '../commands.js';
import { h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { acceptsCommands, mayManage } from '../role-rules.js';
import type { Task } from '../types.js';
import { problemBox } from '../widgets.js';
import { openCommandDialog } from './command-form.js';
import { fieldInput } from './detail-fields.js';
import type { Room } from './room.js';

/** Owners and comments on a task (docs/api.md, "Owners" and "Comments"). */
export type Owner = NonNullable<Task['owner']>;
interface Comment {
  commentId: string;
  text: string;
  author: { id: string; name: string; role: string };
  at: string;
}

const taskPath = (room: Room, task: Task) => `/v1/launches/${room.launch().launchId}/tasks/${task.taskId}`;

/**
 * The task row's owner line, "Assign…" (a command: managers only) and "Comments…" (reading: everyone;
 * marked `data-reads`, it opens the thread, with a form only for those who may comment).
 */
export function ownerAndComments(room: Room, task: Task): HTMLElement {
  const owner = task.owner;
  const { principal } = room.context;
  const buttons: HTMLButtonElement[] = [];
  if (mayManage(principal) && acceptsCommands(room.launch().status)) {
    const assign = h('button', { type: 'button', class: 'small', 'data-focus-key': `assign-${task.taskId}` }, owner ? 'Reassign…' : 'Assign…');
    assign.addEventListener('click', () => assignOwner(room, task));
    buttons.push(assign);
  }
  const comments = h('button', { type: 'button', class: 'small', 'data-reads': true, 'data-focus-key': `comments-${task.taskId}` }, 'Comments…');
  comments.addEventListener('click', () => showComments(room, task));
  buttons.push(comments);
  return h(
    'div',
    { class: 'task-owner' },
    h('span', { class: 'muted' }, owner ? `Owner: ${owner.name} <${owner.email}>` : 'No owner'),
    h('span', { class: 'actions' }, buttons),
  );
}

function assignOwner(room: Room, task: Task): void {
  const current = task.owner;
  const prefix = `owner-${task.taskId.slice(0, 8)}`;
  const name = fieldInput(prefix, 'owner.name', { label: 'Owner’s name', required: true });
  const email = fieldInput(prefix, 'owner.email', { label: 'Owner’s e-mail', type: 'email', required: true });
  if (current) {
    name.input.value = current.name;
    email.input.value = current.email;
  }
  const unassign = h('button', { type: 'button' }, 'Unassign');
  const dialog = openCommandDialog({
    title: `Owner of "${task.title}"`,
    intro: current ? ['The department stays accountable; the owner does the work. ', unassign] : 'The department stays accountable; the owner does the work.',
    fields: [name, email],
    submitLabel: 'Assign',
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('PATCH', taskPath(room, task), { owner: { name: name.value() ?? '', email: email.value() ?? '' } }, revision),
    done: (result) => room.done(result.events.length ? `Assigned "${task.title}" to ${String(name.value())}.` : 'Same owner: nothing changed.', result),
  });
  unassign.addEventListener('click', async () => {
    try {
      const result = await sendCommand('PATCH', taskPath(room, task), { owner: null }, room.launch().revision);
      dialog.close();
      await room.done(`"${task.title}" has no owner now.`, result);
    } catch (error) {
      dialog.close();
      room.refused(error);
    }
  });
}

/** The task's comments, oldest first, and (for everyone but auditors) a form to add one. */
function showComments(room: Room, task: Task): void {
  const list = h('div', { class: 'comments', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading comments…'));
  const load = async () => {
    try {
      const comments = await get<Comment[]>(`${taskPath(room, task)}/comments`);
      replaceChildren(
        list,
        comments.length === 0
          ? h('p', { class: 'muted' }, 'No comments yet.')
          : h(
              'ol',
              { class: 'comment-list' },
              comments.map((comment) =>
                h(
                  'li',
                  { 'data-comment-id': comment.commentId },
                  h('p', { class: 'comment-text' }, comment.text),
                  h(
                    'p',
                    { class: 'muted' },
                    `${comment.author.name} (${comment.author.role}), `,
                    h('time', { datetime: comment.at }, formatInstant(comment.at)),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(list, problemBox(`Comments: ${(error as Error).message}`));
    }
  };
  const mayComment = room.context.principal.role !== 'auditor';
  const text = fieldInput(`comment-${task.taskId.slice(0, 8)}`, 'text', { label: 'Your comment', multiline: true, required: true });
  openCommandDialog({
    title: `Comments on "${task.title}"`,
    intro: list,
    fields: mayComment ? [text] : [],
    submitLabel: mayComment ? 'Add comment' : '',
    keepOpen: true,
    revision: () => room.launch().revision,
    reload: () => room.reload(),
    send: (revision) => sendCommand('POST', `${taskPath(room, task)}/comments`, { text: text.value() ?? '' }, revision),
    done: async (result) => {
      await room.done(`Commented on "${task.title}".`, result);
      await load();
    },
  });
  void load();
}
