import type { Actor, Role } from './actor.js';
import type { LaunchCommandType } from './commands.js';
import { Forbidden } from './errors.js';

const MANAGERS: readonly Role[] = ['admin', 'launch-manager'];
const TASK_OWNERS: readonly Role[] = ['admin', 'launch-manager', 'department'];

/** Which roles may issue each command at all; departments are further scoped to their own tasks by decide. */
const COMMAND_ROLES: Record<LaunchCommandType, readonly Role[]> = {
  CreateLaunch: MANAGERS,
  AddTask: MANAGERS,
  CompleteTask: TASK_OWNERS,
  BlockTask: TASK_OWNERS,
  UnblockTask: TASK_OWNERS,
  WaiveTask: MANAGERS,
  ReopenTask: MANAGERS,
  UpdateTask: MANAGERS,
  // Everyone who reads the launch may discuss its tasks, except auditors, who never write.
  CommentOnTask: TASK_OWNERS,
  EditLaunchDetails: MANAGERS,
  RescheduleLaunch: MANAGERS,
  DecideGoNoGo: MANAGERS,
  MarkLaunched: MANAGERS,
  CancelLaunch: MANAGERS,
  CastVote: ['admin', 'department'],
};

/** Refuses a command the actor's role may never issue, before anything is read. */
export function authorize(actor: Actor, command: LaunchCommandType): void {
  if (!COMMAND_ROLES[command].includes(actor.role)) {
    throw new Forbidden(`a principal with role ${actor.role} may not ${describe(command)}`);
  }
}

function describe(command: LaunchCommandType): string {
  return command.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
