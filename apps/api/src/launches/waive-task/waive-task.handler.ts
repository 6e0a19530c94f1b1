import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { WaiveTaskDto } from './waive-task.dto.js';

export class WaiveTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: WaiveTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(WaiveTaskCommand)
export class WaiveTaskHandler implements ICommandHandler<WaiveTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: WaiveTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'WaiveTask', data: { taskId: command.taskId, ...command.body } }, command.context);
  }
}
