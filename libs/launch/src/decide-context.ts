import type { Actor } from './actor.js';
import type { TierTemplate } from './templates.js';

/** What `decide` needs beside the command and the state: who asks, and the time, ids and templates to use. */
export interface DecideContext {
  actor: Actor;
  now: Date;
  /** Supplies ids for new tasks, so that the same inputs give the same events. */
  newId: () => string;
  templates: readonly TierTemplate[];
}
