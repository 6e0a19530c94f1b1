import type { CommandResult } from '../commands.js';
import type { PageContext } from '../context.js';
import type { Launch, Readiness } from '../types.js';

/** What the room's panels share: the launch as last read, and how to reload it after a command. */
export interface Room {
  context: PageContext;
  launch(): Launch;
  readiness(): Readiness;
  /** The detail fields a completion of this kind needs (from GET /v1/templates). */
  detailFields(kind: string): string[];
  /** Reads the launch again (after `minPosition`, when given) and re-renders every panel. */
  reload(minPosition?: number): Promise<void>;
  /** After a successful command: reload with read-your-writes, then say what happened. */
  done(message: string, result: CommandResult): Promise<void>;
  /** Shows why a command sent without a form (unblock) was refused. */
  refused(error: unknown): void;
}
