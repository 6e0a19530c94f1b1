import type { CommandOutcome } from './launch-command.runner.js';

/** The answer every launch command gives: its launch, revision and position, and the events it recorded. */
export function commandAnswer(outcome: CommandOutcome, extra: Record<string, unknown> = {}) {
  return {
    launchId: outcome.launchId,
    revision: outcome.revision,
    position: outcome.position,
    ...extra,
    events: outcome.events.map((e) => e.type),
  };
}
