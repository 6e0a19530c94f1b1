import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../shared/command-context.js';
import { idempotentLaunchId } from '../shared/event-envelope.js';
import { CLOCK, type Clock } from '../../infrastructure/injection-tokens.js';
import { LaunchCommandRunner } from '../shared/launch-command.runner.js';
import { LaunchHistoryReader } from '../shared/launch-history.reader.js';
import { withScheduleWarnings, type ScheduledOutcome } from '../shared/schedule-warnings.js';
import type { CreateLaunchDto } from './create-launch.dto.js';

export class CreateLaunchCommand extends Command<ScheduledOutcome> {
  constructor(
    readonly body: CreateLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CreateLaunchCommand)
export class CreateLaunchHandler implements ICommandHandler<CreateLaunchCommand, ScheduledOutcome> {
  constructor(
    private readonly runner: LaunchCommandRunner,
    private readonly history: LaunchHistoryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ body, context }: CreateLaunchCommand): Promise<ScheduledOutcome> {
    // A retried creation with the same Idempotency-Key must land on the same stream.
    const launchId = context.idempotencyKey !== undefined ? idempotentLaunchId(context.actor.id, context.idempotencyKey) : randomUUID();
    const { ifMatch: _ignored, ...withoutIfMatch } = context;
    const outcome = await this.runner.run(launchId, { type: 'CreateLaunch', data: { launchId, ...body } }, withoutIfMatch);
    return withScheduleWarnings(outcome, this.history, this.clock);
  }
}
