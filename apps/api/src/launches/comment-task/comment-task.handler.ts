import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';

export class CommentTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly text: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CommentTaskCommand)
export class CommentTaskHandler implements ICommandHandler<CommentTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: CommentTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'CommentOnTask', data: { taskId: command.taskId, text: command.text } }, command.context);
  }
}
