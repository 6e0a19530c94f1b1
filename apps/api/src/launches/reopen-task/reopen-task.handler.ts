import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { ReopenTaskDto } from './reopen-task.dto.js';

export class ReopenTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: ReopenTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ReopenTaskCommand)
export class ReopenTaskHandler implements ICommandHandler<ReopenTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: ReopenTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'ReopenTask', data: { taskId: command.taskId, ...command.body } }, command.context);
  }
}
