import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { CancelLaunchDto } from './cancel-launch.dto.js';

export class CancelLaunchCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: CancelLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CancelLaunchCommand)
export class CancelLaunchHandler implements ICommandHandler<CancelLaunchCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: CancelLaunchCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'CancelLaunch', data: { ...command.body } }, command.context);
  }
}
