import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { AddTaskDto } from './add-task.dto.js';

export class AddTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: AddTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AddTaskCommand)
export class AddTaskHandler implements ICommandHandler<AddTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute({ launchId, body, context }: AddTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(launchId, { type: 'AddTask', data: { ...body } }, context);
  }
}
