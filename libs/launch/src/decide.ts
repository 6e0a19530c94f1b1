import type { LaunchCommand } from './commands.js';
import { existingLaunch, openLaunch } from './command-guards.js';
import type { DecideContext } from './decide-context.js';
import type { LaunchEvent } from './events.js';
import { cancelLaunch, castVote, createLaunch, decideGoNoGo, editLaunchDetails, markLaunched, rescheduleLaunch } from './launch-decisions.js';
import { authorize } from './permissions.js';
import type { LaunchState } from './state.js';
import { addTask, blockTask, commentOnTask, completeTask, reopenTask, unblockTask, updateTask, waiveTask } from './task-decisions.js';

export type { DecideContext } from './decide-context.js';

/**
 * Decides which events a command records on a launch, or throws the domain error that refuses it.
 * The one place commands are authorised (by role; a department is further scoped to its own tasks
 * by the command's function); then each command has its own function.
 */
export function decide(command: LaunchCommand, state: LaunchState, context: DecideContext): LaunchEvent[] {
  authorize(context.actor, command.type);
  switch (command.type) {
    case 'CreateLaunch':
      return createLaunch(command, state, context);
    case 'AddTask':
      return addTask(command, openLaunch(state), context);
    case 'CompleteTask':
      return completeTask(command, openLaunch(state), context);
    case 'BlockTask':
      return blockTask(command, openLaunch(state), context);
    case 'UnblockTask':
      return unblockTask(command, openLaunch(state), context);
    case 'WaiveTask':
      return waiveTask(command, openLaunch(state));
    case 'ReopenTask':
      return reopenTask(command, openLaunch(state));
    case 'UpdateTask':
      return updateTask(command, openLaunch(state));
    case 'CommentOnTask':
      return commentOnTask(command, existingLaunch(state), context);
    case 'EditLaunchDetails':
      return editLaunchDetails(command, openLaunch(state));
    case 'RescheduleLaunch':
      return rescheduleLaunch(command, openLaunch(state), context);
    case 'DecideGoNoGo':
      return decideGoNoGo(command, openLaunch(state));
    case 'MarkLaunched':
      return markLaunched(command, openLaunch(state));
    case 'CancelLaunch':
      openLaunch(state);
      return cancelLaunch(command);
    case 'CastVote':
      return castVote(command, openLaunch(state), context);
    default: {
      const unhandled: never = command;
      throw new Error(`decide: unhandled command ${(unhandled as LaunchCommand).type}`);
    }
  }
}
