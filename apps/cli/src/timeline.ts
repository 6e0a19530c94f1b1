import type { RecordedEvent } from '#event-store';
import { computeReadiness, eventContext, evolve, initialState, type LaunchState, toLaunchEvent } from '#launch';

const TASK_FIELDS = ['taskId', 'title', 'department', 'dueDate', 'targetDate', 'reason', 'note', 'evidenceUrl'] as const;

/** One readable line per event: when, which revision, what, who, and the evidence it carries. */
export function timelineLine(event: RecordedEvent): string {
  const actor = (event.metadata.actor ?? {}) as { name?: string; role?: string; department?: string };
  const who = `${actor.name ?? 'unknown'} (${[actor.role, actor.department].filter(Boolean).join(', ')})`;
  const facts = TASK_FIELDS.filter((field) => event.data[field] !== undefined).map((field) => `${field}=${String(event.data[field])}`);
  if (event.data.details !== undefined) facts.push(`details=${JSON.stringify(event.data.details)}`);
  if (event.type === 'LaunchCreated')
    facts.push(`name=${String(event.data.name)}`, `tier=${String(event.data.tier)}`, `tasks=${(event.data.tasks as unknown[]).length}`);
  return `${String(event.metadata.occurredAt ?? event.recordedAt)}  r${event.revision}  ${event.type}  by ${who}${facts.length ? `  ${facts.join('  ')}` : ''}`;
}

/** The launch's timeline up to an instant, then its readiness as judged at that instant. */
export async function* timeline(events: AsyncIterable<RecordedEvent>, asOf?: string): AsyncGenerator<string> {
  const until = asOf !== undefined ? Date.parse(asOf) : Infinity;
  let state: LaunchState = initialState;
  let last = '';
  for await (const recorded of events) {
    const context = eventContext(recorded);
    if (Date.parse(context.occurredAt) > until) break;
    const event = toLaunchEvent(recorded);
    if (event) state = evolve(state, event, context);
    last = context.occurredAt;
    yield timelineLine(recorded);
  }
  if (!state.exists) return;
  const judgedAt = asOf ?? last;
  const readiness = computeReadiness(state.tasks, new Date(judgedAt));
  yield `-- as of ${judgedAt}: ${state.status}, readiness ${readiness.overall.percent}% ${readiness.overall.status}`;
  for (const d of readiness.departments) {
    yield `   ${d.department}: ${d.percent}% ${d.status} (${d.completed} completed, ${d.waived} waived, ${d.blocked} blocked, ${d.open} open, ${d.overdue} overdue of ${d.total})`;
  }
}
