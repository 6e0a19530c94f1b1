import { get } from '../api.js';
import { ChangedMeanwhile, sendCommand } from '../commands.js';
import { departmentName } from '../context.js';
import { announce, h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { acceptsCommands, mayManage, mayVote } from '../role-rules.js';
import type { components } from '../../../../clients/typescript/schema.js';
import { clearFieldErrors, showProblem } from './command-form.js';
import { fieldInput, selectField, type FieldInput } from './detail-fields.js';
import type { Room } from './room.js';

type DecisionRecord = components['schemas']['DecisionRecord'];

/**
 * The go/no-go panel: what a decision rests on (blockers, the votes owed and cast per department,
 * the policy), the decision record, and, for whoever may, the decision and the votes.
 */
export function goNoGoPanel(room: Room): { element: HTMLElement; refresh(): Promise<void> } {
  const record = h('div', { class: 'decision-record', id: 'decision-record' });
  const forms = h('div', { class: 'decision-forms' });
  const element = h('section', { class: 'card go-no-go', 'aria-labelledby': 'go-no-go-title' }, h('h2', { id: 'go-no-go-title' }, 'Go / no-go'), record, forms);
  let formsFor = '';
  const refresh = async () => {
    const launch = room.launch();
    const current = await get<DecisionRecord>(`/v1/launches/${launch.launchId}/decision-record`);
    replaceChildren(record, recordView(room, current));
    // The forms are rebuilt only when what they offer changes, so a live update never wipes a note being typed.
    const key = `${current.status}|${current.votingDepartments.join(',')}`;
    if (key !== formsFor) {
      formsFor = key;
      replaceChildren(forms, decideForm(room, current), voteForm(room, current));
    }
  };
  return { element, refresh };
}

function recordView(room: Room, record: DecisionRecord): HTMLElement[] {
  const name = (department: string) => departmentName(room.context, department);
  const votes = new Map(record.votes.map((vote) => [vote.department, vote]));
  const decision = record.decision;
  return [
    h(
      'p',
      { class: 'decision-line', id: 'decision-line' },
      decision
        ? [
            h('strong', {}, decision.decision === 'go' ? 'Decided: go' : 'Decided: no-go'),
            ` by ${decision.decidedByName}, ${formatInstant(decision.decidedAt)}`,
            decision.note ? ` — “${decision.note}”` : '',
          ]
        : 'No decision yet.',
      ` Launch status: ${record.status}.`,
    ),
    h(
      'p',
      { class: 'muted' },
      record.policy.requireGoVotes
        ? 'Policy: go needs every required task done and a go vote from every department with required tasks.'
        : 'Policy: go needs every required task done; votes are advisory.',
    ),
    h('h3', {}, record.blockers.length ? `Blockers (${record.blockers.length})` : 'Blockers'),
    record.blockers.length
      ? h(
          'ul',
          { class: 'blockers' },
          record.blockers.map((b) => h('li', {}, `${b.title} — ${name(b.department)}, ${b.status}, due `, h('time', { datetime: b.dueDate }, b.dueDate))),
        )
      : h('p', {}, 'None: every required task is completed or waived.'),
    h(
      'table',
      { class: 'compact votes' },
      h('caption', {}, `Votes: ${record.votes.length} cast, ${record.missingGoVotes.length} go vote${record.missingGoVotes.length === 1 ? '' : 's'} owed`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Department', 'Vote', 'By', 'When', 'Note'].map((title) => h('th', { scope: 'col' }, title)),
        ),
      ),
      h(
        'tbody',
        {},
        record.votingDepartments.map((department) => {
          const vote = votes.get(department);
          return h(
            'tr',
            { 'data-department': department },
            h('th', { scope: 'row' }, name(department)),
            h(
              'td',
              { 'data-label': 'Vote' },
              vote ? h('span', { class: `vote vote-${vote.vote}` }, vote.vote === 'go' ? 'Go' : 'No-go') : h('span', { class: 'vote vote-owed' }, 'Owed'),
            ),
            h('td', { 'data-label': 'By' }, vote?.votedByName ?? ''),
            h('td', { 'data-label': 'When' }, vote ? formatInstant(vote.votedAt) : ''),
            h('td', { 'data-label': 'Note' }, vote?.note ?? ''),
          );
        }),
      ),
    ),
  ];
}

/** Note + "Decide go" / "Decide no-go", for launch managers and admins while the launch takes commands. */
function decideForm(room: Room, record: DecisionRecord): HTMLElement | null {
  if (!mayManage(room.context.principal) || !acceptsCommands(record.status)) return null;
  const note = fieldInput('decide', 'note', { label: 'Decision note (optional)', multiline: true });
  const summary = h('div', { class: 'form-problem' });
  const buttons = (['go', 'no-go'] as const)
    .filter((decision) => decision !== record.status)
    .map((decision) =>
      h('button', { type: 'submit', value: decision, class: decision === 'go' ? 'primary' : '' }, decision === 'go' ? 'Decide go' : 'Decide no-go'),
    );
  const form = h('form', { class: 'action-form', novalidate: true }, h('h3', {}, 'Decide'), summary, note.wrapper, h('div', { class: 'actions' }, buttons));
  submitting(form, room, [note], summary, (submitter) => {
    const decision = submitter?.value === 'no-go' ? 'no-go' : 'go';
    const body = { decision, ...(note.value() !== undefined && { note: note.value() }) };
    return { path: 'decision', body, message: decision === 'go' ? 'Decided go.' : 'Decided no-go.' };
  });
  return form;
}

/** A department votes for itself; an admin on a department's behalf. */
function voteForm(room: Room, record: DecisionRecord): HTMLElement | null {
  const { principal } = room.context;
  if (!mayVote(principal, record.votingDepartments) || !acceptsCommands(record.status)) return null;
  const inputs: FieldInput[] = [];
  const department =
    principal.role === 'admin'
      ? selectField('vote', 'department', {
          label: 'On behalf of',
          choices: record.votingDepartments.map((d) => ({ value: d, label: departmentName(room.context, d) })),
        })
      : undefined;
  if (department) inputs.push(department);
  const note = fieldInput('vote', 'note', { label: 'Vote note (optional)', multiline: true });
  inputs.push(note);
  const summary = h('div', { class: 'form-problem' });
  const who = principal.department ? departmentName(room.context, principal.department) : 'a department';
  const form = h(
    'form',
    { class: 'action-form', novalidate: true },
    h('h3', {}, principal.role === 'admin' ? 'Vote for a department' : `Vote for ${who}`),
    summary,
    inputs.map((input) => input.wrapper),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', value: 'go', class: 'primary' }, 'Vote go'),
      h('button', { type: 'submit', value: 'no-go' }, 'Vote no-go'),
    ),
  );
  submitting(form, room, inputs, summary, (submitter) => {
    const vote = submitter?.value === 'no-go' ? 'no-go' : 'go';
    const body = { vote, ...(note.value() !== undefined && { note: note.value() }), ...(department && { department: department.value() }) };
    return { path: 'votes', body, message: `Voted ${vote}${department ? ` for ${departmentName(room.context, String(department.value()))}` : ''}.` };
  });
  return form;
}

/** Sends the form's command against the revision on screen; refusals and 412s are shown in the form. */
function submitting(
  form: HTMLFormElement,
  room: Room,
  inputs: FieldInput[],
  summary: HTMLElement,
  command: (submitter: HTMLButtonElement | null) => { path: string; body: unknown; message: string },
): void {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(inputs, summary);
    const { path, body, message } = command((event as SubmitEvent).submitter as HTMLButtonElement | null);
    const buttons = [...form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      const result = await sendCommand('POST', `/v1/launches/${room.launch().launchId}/${path}`, body, room.launch().revision);
      for (const input of inputs) if (input.input instanceof HTMLTextAreaElement) input.input.value = '';
      await room.done(message, result);
    } catch (error) {
      if (error instanceof ChangedMeanwhile) await room.reload().catch(() => undefined);
      showProblem(error, inputs, summary);
      announce('The command was refused; see the message in the form.');
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  });
}
