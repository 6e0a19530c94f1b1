import { overdueTaskWarnings, utcDate, type ScheduleWarning, type Task } from '#launch';
import type { Clock } from '../../infrastructure/injection-tokens.js';
import type { CommandOutcome } from './command-plan.js';
import type { LaunchHistoryReader } from './launch-history.reader.js';

export interface ScheduledOutcome extends CommandOutcome {
  warnings: ScheduleWarning[];
}

/**
 * The tasks already overdue once a creation or reschedule is stored, judged on the day its events
 * occurred. A fresh creation is judged from its own event, today, with no further read: a read that
 * failed after the append would turn a stored launch into an error its client might retry without a
 * key. Otherwise the launch is folded up to the revision the command answers and judged on the day
 * its last event occurred, so a repeated Idempotency-Key gets the warnings of the first answer; a
 * command that recorded nothing is judged today.
 */
export async function withScheduleWarnings(outcome: CommandOutcome, history: LaunchHistoryReader, clock: Clock): Promise<ScheduledOutcome> {
  const [first] = outcome.events;
  if (!outcome.replayed && first?.type === 'LaunchCreated') {
    const tasks: Task[] = first.data.tasks.map((task) => ({ ...task, status: 'open', owner: null }));
    return { ...outcome, warnings: overdueTaskWarnings(tasks, utcDate(clock.now())) };
  }
  const stored = await history.at(outcome.launchId, { atRevision: outcome.revision });
  if (!stored) return { ...outcome, warnings: [] };
  const today = utcDate(outcome.events.length > 0 ? new Date(stored.lastOccurredAt) : clock.now());
  return { ...outcome, warnings: overdueTaskWarnings(stored.launch.tasks, today) };
}
