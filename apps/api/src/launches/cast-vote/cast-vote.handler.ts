import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { CastVoteDto } from './cast-vote.dto.js';

export class CastVoteCommand extends Command<CommandOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: CastVoteDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CastVoteCommand)
export class CastVoteHandler implements ICommandHandler<CastVoteCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute(command: CastVoteCommand): Promise<CommandOutcome> {
    return this.runner.run(command.launchId, { type: 'CastVote', data: { ...command.body } }, command.context);
  }
}
