import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { RescheduleLaunchDto } from './reschedule-launch.dto.js';

export class RescheduleLaunchCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: RescheduleLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RescheduleLaunchCommand)
export class RescheduleLaunchHandler implements ICommandHandler<RescheduleLaunchCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: RescheduleLaunchCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'RescheduleLaunch', data: { ...command.body } }, command.context);
  }
}
