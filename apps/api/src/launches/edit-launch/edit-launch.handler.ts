import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { EditLaunchDto } from './edit-launch.dto.js';

export class EditLaunchCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: EditLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(EditLaunchCommand)
export class EditLaunchHandler implements ICommandHandler<EditLaunchCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute({ launchId, body, context }: EditLaunchCommand): Promise<CommandOutcome> {
    const { name, product, description } = body;
    const data = {
      ...(name !== undefined && { name }),
      ...(product !== undefined && { product }),
      ...(description !== undefined && { description }),
    };
    return this.runner.run(launchId, { type: 'EditLaunchDetails', data }, context);
  }
}
