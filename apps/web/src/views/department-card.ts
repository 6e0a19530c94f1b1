import { departmentName } from '../context.js';
import { h } from '../dom.js';
import { isOverdue, todayUtc } from '../format.js';
import { describeWaiting, isSignedOff, shownStatus, statusCauses, waitingOn } from '../task-rules.js';
import type { DepartmentReadiness, Task } from '../types.js';
import { flag, problemBox, readinessBar, statusBadge } from '../widgets.js';
import type { Room } from './room.js';
import { taskActions } from './task-actions.js';
import { ownerAndComments } from './task-daily-work.js';
import { evidenceList } from './task-evidence.js';

/** One department: its readiness, why it is at risk or blocked, and its tasks with what they wait on. */
export function departmentCard(room: Room, readiness: DepartmentReadiness): HTMLElement {
  const launch = room.launch();
  const name = departmentName(room.context, readiness.department);
  const tasks = launch.tasks.filter((task) => task.department === readiness.department).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const status = shownStatus(readiness.department, readiness.status, launch);
  const causes = status === 'at-risk' || status === 'blocked' ? statusCauses(readiness.department, launch, todayUtc()) : [];
  const headingId = `dept-${readiness.department}`;
  const counts = [
    `${readiness.completed + readiness.waived} of ${readiness.total} required done`,
    readiness.blocked ? `${readiness.blocked} blocked` : '',
    readiness.overdue ? `${readiness.overdue} overdue` : '',
  ].filter(Boolean);
  return h(
    'section',
    { class: `card department status-border-${status}`, 'aria-labelledby': headingId, 'data-department': readiness.department },
    h(
      'div',
      { class: 'card-head' },
      h('h3', { id: headingId }, h('a', { href: `#/inbox/${readiness.department}`, 'data-focus-key': `inbox-${readiness.department}` }, name)),
      statusBadge(status),
    ),
    readinessBar(readiness.percent, status, `${name} readiness`),
    h('p', { class: 'muted counts' }, counts.join(' · ')),
    causes.length
      ? h(
          'div',
          { class: 'causes' },
          h('span', { class: 'causes-title' }, status === 'blocked' ? 'Blocked because' : 'At risk because'),
          h(
            'ul',
            {},
            causes.map((cause) => h('li', {}, cause)),
          ),
        )
      : null,
    h(
      'ul',
      { class: 'tasks' },
      tasks.map((task) => taskItem(room, task)),
    ),
  );
}

function taskItem(room: Room, task: Task): HTMLElement {
  const launch = room.launch();
  const flags: HTMLElement[] = [];
  const waiting = waitingOn(task, launch);
  if (task.status === 'completed') flags.push(flag('Completed', 'done'));
  else if (task.status === 'waived') flags.push(flag('Waived', 'neutral'));
  else if (task.status === 'stale') flags.push(flag('Stale: sign off again', 'overdue'));
  if (task.status === 'blocked') flags.push(flag('Blocked', 'blocked'));
  if (waiting.some((w) => w.blockedBy)) flags.push(flag('Waiting on a blocked task', 'blocked'));
  else if (waiting.length) flags.push(flag('Waiting', 'neutral'));
  if (isOverdue(task)) flags.push(flag('Overdue', 'overdue'));
  if (!task.required) flags.push(flag('Optional', 'neutral'));
  const dependencies = (task.dependsOn ?? []).map((id) => launch.tasks.find((t) => t.taskId === id)).filter((t): t is Task => !!t);
  return h(
    'li',
    { class: `task task-${task.status}`, 'data-task-id': task.taskId },
    h('div', { class: 'task-line' }, h('span', { class: 'task-title' }, task.title), h('span', { class: 'flags' }, flags)),
    h('div', { class: 'muted' }, `${task.kind} · due `, h('time', { datetime: task.dueDate }, task.dueDate)),
    dependencies.length
      ? h(
          'p',
          { class: 'muted depends-on' },
          'Depends on: ',
          dependencies.map((d, i) => [i ? ', ' : '', `${d.title} (${isSignedOff(d) ? d.status : d.status === 'blocked' ? 'blocked' : 'not signed off'})`]),
        )
      : null,
    waiting.map((w) => h('p', { class: `waiting${w.blockedBy ? ' waiting-blocked' : ''}` }, describeWaiting(task, w))),
    task.blockedReason && task.status === 'blocked' ? problemLine(`Blocked: ${task.blockedReason}`) : null,
    task.waivedReason && task.status === 'waived' ? h('p', { class: 'muted' }, `Waived: ${task.waivedReason}`) : null,
    task.invalidatedReason && task.status === 'stale' ? h('p', { class: 'muted' }, task.invalidatedReason) : null,
    task.status === 'completed' ? evidenceList(task) : null,
    h('div', { class: 'task-extras', 'data-hook': 'owner-comments' }, ownerAndComments(room, task)),
    taskActions(room, task),
  );
}

const problemLine = (text: string) => {
  const box = problemBox(text);
  box.removeAttribute('role');
  box.classList.add('inline');
  return box;
};
