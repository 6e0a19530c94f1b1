import type { CancelLaunch, CastVote, CreateLaunch, DecideGoNoGo, EditLaunchDetails, MarkLaunched, RescheduleLaunch } from './commands.js';
import { assertDate, describeTasks, outstandingRequired } from './command-guards.js';
import { addDays, utcDate } from './dates.js';
import type { DecideContext } from './decide-context.js';
import { Forbidden, StateConflict, ValidationFailed } from './errors.js';
import type {
  GoDecided,
  LaunchCancelled,
  LaunchCompleted,
  LaunchCreated,
  LaunchDetailField,
  LaunchDetailsEdited,
  LaunchRescheduled,
  NoGoDecided,
  TaskSpec,
  VoteCast,
} from './events.js';
import type { Launch, LaunchState } from './state.js';
import { templateFor } from './templates.js';
import { isTier } from './tiers.js';
import { missingGoVotes, votingDepartments } from './votes.js';

/** One function per command on the launch as a whole: the events it records, or the refusal. */

/** The checklist comes from the tier's template, due dates counted back from the target date. */
export function createLaunch({ data }: CreateLaunch, state: LaunchState, context: DecideContext): LaunchCreated[] {
  if (state.exists) throw new StateConflict(`launch ${data.launchId} already exists`);
  assertDate('targetDate', data.targetDate);
  assertNotPast(data, context);
  if (!isTier(data.tier)) throw new ValidationFailed('tier must be 1, 2 or 3', [{ field: 'tier', message: 'must be 1, 2 or 3' }]);
  const template = templateFor(context.templates, data.tier);
  const ids = new Map(template.tasks.map((t) => [t.key, context.newId()]));
  const tasks: TaskSpec[] = template.tasks.map((t) => ({
    taskId: ids.get(t.key)!,
    key: t.key,
    title: t.title,
    department: t.department,
    kind: t.kind,
    required: t.required,
    dueDate: addDays(data.targetDate, -t.dueDaysBeforeLaunch),
    ...(t.dependsOn?.length && { dependsOn: t.dependsOn.map((key) => ids.get(key)!) }),
  }));
  const { description } = data;
  return [
    {
      type: 'LaunchCreated',
      data: {
        launchId: data.launchId,
        name: data.name,
        product: data.product,
        ...(description !== undefined && { description }),
        tier: data.tier,
        targetDate: data.targetDate,
        templateVersion: template.version,
        ...(template.policy && { policy: template.policy }),
        tasks,
      },
    },
  ];
}

const DETAIL_LIMITS: Record<LaunchDetailField, number> = { name: 200, product: 200, description: 4000 };

/** Records the fields whose value changes, from and to; values as they are give nothing to record. */
export function editLaunchDetails({ data }: EditLaunchDetails, launch: Launch): LaunchDetailsEdited[] {
  const fields = (Object.keys(DETAIL_LIMITS) as LaunchDetailField[]).filter((field) => data[field] !== undefined);
  if (fields.length === 0) throw new ValidationFailed('nothing to change: send name, product or description');
  const invalid = fields.filter((field) => {
    const value = data[field];
    return typeof value !== 'string' || value.trim().length === 0 || value.length > DETAIL_LIMITS[field];
  });
  if (invalid.length > 0) {
    throw new ValidationFailed(
      'the launch details are not valid',
      invalid.map((field) => ({ field, message: `must be a non-empty string of at most ${DETAIL_LIMITS[field]} characters` })),
    );
  }
  const changes: LaunchDetailsEdited['data']['changes'] = {};
  for (const field of fields) {
    const to = data[field]!;
    const from = launch[field];
    if (to !== from) changes[field] = { ...(from !== undefined && { from }), to };
  }
  return Object.keys(changes).length === 0 ? [] : [{ type: 'LaunchDetailsEdited', data: { changes } }];
}

/** A target date before today (the context's clock, UTC) only when the command says `backfill`. */
function assertNotPast(data: { targetDate: string; backfill?: boolean }, context: DecideContext): void {
  const today = utcDate(context.now);
  if (data.targetDate >= today || data.backfill === true) return;
  const message = `is before today (${today}); send "backfill": true to record a launch after the fact`;
  throw new ValidationFailed(`targetDate ${message}`, [{ field: 'targetDate', message }]);
}

/** The same target date again records nothing. */
export function rescheduleLaunch({ data }: RescheduleLaunch, launch: Launch, context: DecideContext): LaunchRescheduled[] {
  assertDate('targetDate', data.targetDate);
  assertNotPast(data, context);
  if (data.targetDate === launch.targetDate) return [];
  return [{ type: 'LaunchRescheduled', data: { targetDate: data.targetDate, previousTargetDate: launch.targetDate, reason: data.reason } }];
}

/** `go` needs every required task done (and, under a `requireGoVotes` policy, every go vote); `no-go` is always possible. */
export function decideGoNoGo({ data }: DecideGoNoGo, launch: Launch): (GoDecided | NoGoDecided)[] {
  const { decision, note } = data;
  if (decision !== 'go' && decision !== 'no-go')
    throw new ValidationFailed('decision must be go or no-go', [{ field: 'decision', message: 'must be go or no-go' }]);
  if (launch.status === decision) throw new StateConflict(`the launch is already ${decision}`);
  const outstanding = outstandingRequired(launch);
  if (decision === 'no-go') {
    return [{ type: 'NoGoDecided', data: { ...(note !== undefined && { note }), openRequiredTasks: outstanding.map((t) => t.taskId) } }];
  }
  if (outstanding.length > 0) throw new StateConflict(`go refused: ${outstanding.length} required task(s) not done: ${describeTasks(outstanding)}`);
  const missing = launch.policy?.requireGoVotes ? missingGoVotes(launch) : [];
  if (missing.length > 0) throw new StateConflict(`go refused: the policy needs a go vote from ${missing.join(', ')}`);
  return [{ type: 'GoDecided', data: { ...(note !== undefined && { note }) } }];
}

/** Only a launch decided go launches, and only while its required tasks are still done. */
export function markLaunched({ data }: MarkLaunched, launch: Launch): LaunchCompleted[] {
  if (launch.status !== 'go') throw new StateConflict(`the launch is ${launch.status}; only a launch decided go can launch`);
  const outstanding = outstandingRequired(launch);
  if (outstanding.length > 0) throw new StateConflict(`${outstanding.length} required task(s) were reopened or blocked since the go decision`);
  const { note } = data;
  return [{ type: 'LaunchCompleted', data: { ...(note !== undefined && { note }) } }];
}

export function cancelLaunch({ data }: CancelLaunch): LaunchCancelled[] {
  return [{ type: 'LaunchCancelled', data: { reason: data.reason } }];
}

/** A department votes for itself; an admin votes on behalf of the department it names. */
export function castVote({ data }: CastVote, launch: Launch, { actor }: DecideContext): VoteCast[] {
  const { vote, note } = data;
  if (vote !== 'go' && vote !== 'no-go') throw new ValidationFailed('vote must be go or no-go', [{ field: 'vote', message: 'must be go or no-go' }]);
  const department = actor.role === 'department' ? actor.department : data.department;
  if (!department) throw new ValidationFailed('an admin votes on behalf of a department: name it', [{ field: 'department', message: 'is required' }]);
  if (actor.role === 'department' && data.department !== undefined && data.department !== department) {
    throw new Forbidden(`${department} may vote only for itself`);
  }
  if (!votingDepartments(launch).includes(department)) throw new Forbidden(`${department} has no required task in this launch, so it has no vote`);
  return [{ type: 'VoteCast', data: { department, vote, ...(note !== undefined && { note }) } }];
}
