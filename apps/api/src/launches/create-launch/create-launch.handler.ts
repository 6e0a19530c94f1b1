import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../shared/command-context.js';
import { idempotentLaunchId } from '../shared/event-envelope.js';
import { LaunchCommandRunner, type CommandOutcome } from '../shared/launch-command.runner.js';
import type { CreateLaunchDto } from './create-launch.dto.js';

export class CreateLaunchCommand extends Command<CommandOutcome> {
  constructor(
    readonly body: CreateLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CreateLaunchCommand)
export class CreateLaunchHandler implements ICommandHandler<CreateLaunchCommand, CommandOutcome> {
  constructor(private readonly runner: LaunchCommandRunner) {}

  execute({ body, context }: CreateLaunchCommand): Promise<CommandOutcome> {
    // A retried creation with the same Idempotency-Key must land on the same stream.
    const launchId = context.idempotencyKey !== undefined ? idempotentLaunchId(context.actor.id, context.idempotencyKey) : randomUUID();
    const { ifMatch: _ignored, ...withoutIfMatch } = context;
    return this.runner.run(launchId, { type: 'CreateLaunch', data: { launchId, ...body } }, withoutIfMatch);
  }
}
