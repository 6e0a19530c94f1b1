import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { DecideGoNoGoDto } from './decide-go-no-go.dto.js';

export class DecideGoNoGoCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: DecideGoNoGoDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(DecideGoNoGoCommand)
export class DecideGoNoGoHandler implements ICommandHandler<DecideGoNoGoCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: DecideGoNoGoCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'DecideGoNoGo', data: { ...command.body } }, command.context);
  }
}
