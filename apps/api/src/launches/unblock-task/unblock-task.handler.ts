import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { UnblockTaskDto } from './unblock-task.dto.js';

export class UnblockTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: UnblockTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(UnblockTaskCommand)
export class UnblockTaskHandler implements ICommandHandler<UnblockTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: UnblockTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'UnblockTask', data: { taskId: command.taskId, ...command.body } }, command.context);
  }
}
