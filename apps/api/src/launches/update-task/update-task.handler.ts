import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { UpdateTaskDto } from './update-task.dto.js';

export class UpdateTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: UpdateTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(UpdateTaskCommand)
export class UpdateTaskHandler implements ICommandHandler<UpdateTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: UpdateTaskCommand): Promise<CommandOutcome> {
    const { dueDate, title, owner } = command.body;
    const data = {
      taskId: command.taskId,
      ...(dueDate !== undefined && { dueDate }),
      ...(title !== undefined && { title }),
      ...(owner !== undefined && { owner: owner && { name: owner.name, email: owner.email } }),
    };
    return this.runner.run(command.launchId, { type: 'UpdateTask', data }, command.context);
  }
}
