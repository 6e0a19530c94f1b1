import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { CompleteTaskDto } from './complete-task.dto.js';

export class CompleteTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: CompleteTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CompleteTaskCommand)
export class CompleteTaskHandler implements ICommandHandler<CompleteTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: CompleteTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'CompleteTask', data: { taskId: command.taskId, ...command.body } }, command.context);
  }
}
