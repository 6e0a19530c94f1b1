import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { MarkLaunchedDto } from './mark-launched.dto.js';

export class MarkLaunchedCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: MarkLaunchedDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(MarkLaunchedCommand)
export class MarkLaunchedHandler implements ICommandHandler<MarkLaunchedCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: MarkLaunchedCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'MarkLaunched', data: { ...command.body } }, command.context);
  }
}
