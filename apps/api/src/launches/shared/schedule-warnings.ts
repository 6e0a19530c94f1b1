import { overdueTaskWarnings, utcDate, type ScheduleWarning } from '#launch';
import type { Clock } from '../../infrastructure/injection-tokens.js';
import type { CommandOutcome } from './command-plan.js';
import type { LaunchHistoryReader } from './launch-history.reader.js';

export interface ScheduledOutcome extends CommandOutcome {
  warnings: ScheduleWarning[];
}

/**
 * The tasks already overdue once a creation or reschedule is stored: the launch folded up to the
 * revision the command answers, judged on the day its events occurred (the server's clock when
 * they were decided), so a repeated Idempotency-Key gets the warnings of the first answer. A
 * command that recorded nothing is judged today.
 */
export async function withScheduleWarnings(outcome: CommandOutcome, history: LaunchHistoryReader, clock: Clock): Promise<ScheduledOutcome> {
  const stored = await history.at(outcome.launchId, { atRevision: outcome.revision });
  if (!stored) return { ...outcome, warnings: [] };
  const today = utcDate(outcome.events.length > 0 ? new Date(stored.lastOccurredAt) : clock.now());
  return { ...outcome, warnings: overdueTaskWarnings(stored.launch.tasks, today) };
}
