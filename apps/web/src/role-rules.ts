/**
 * Which commands the signed-in principal may send, as the API's rules say (docs/api.md, "Principals and
 * roles"; the access matrix): the page offers only these, the API still decides.
 */
import type { Principal } from './types.js';

type Who = Pick<Principal, 'role' | 'department'>;
type LaunchStatus = 'planning' | 'go' | 'no-go' | 'launched' | 'cancelled';

/** Create and change launches, add/waive/reopen/reschedule tasks, decide, cancel, mark launched. */
export const mayManage = (who: Who): boolean => who.role === 'admin' || who.role === 'launch-manager';

/** Complete, block and unblock: managers any task, a department its own. */
export const mayWorkOn = (who: Who, task: { department: string }): boolean =>
  mayManage(who) || (who.role === 'department' && who.department === task.department);

/** Departments vote for themselves when they have required tasks; an admin votes on a department's behalf. */
export function mayVote(who: Who, votingDepartments: readonly string[]): boolean {
  if (who.role === 'admin') return votingDepartments.length > 0;
  return who.role === 'department' && !!who.department && votingDepartments.includes(who.department);
}

/** A cancelled or launched launch accepts no further commands. */
export const acceptsCommands = (status: LaunchStatus): boolean => status !== 'cancelled' && status !== 'launched';
