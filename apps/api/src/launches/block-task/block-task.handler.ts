import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { BlockTaskDto } from './block-task.dto.js';

export class BlockTaskCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly body: BlockTaskDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(BlockTaskCommand)
export class BlockTaskHandler implements ICommandHandler<BlockTaskCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: BlockTaskCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'BlockTask', data: { taskId: command.taskId, ...command.body } }, command.context);
  }
}
