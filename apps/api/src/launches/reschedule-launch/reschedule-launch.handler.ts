import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context.js';
import { CLOCK, type Clock } from '../../infrastructure/injection-tokens.js';
import { LaunchCommandRunner } from '../shared/launch-command.runner.js';
import { LaunchHistoryReader } from '../shared/launch-history.reader.js';
import { withScheduleWarnings, type ScheduledOutcome } from '../shared/schedule-warnings.js';
import type { RescheduleLaunchDto } from './reschedule-launch.dto.js';

export class RescheduleLaunchCommand extends Command<ScheduledOutcome> {
  constructor(
    readonly launchId: string,
    readonly body: RescheduleLaunchDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RescheduleLaunchCommand)
export class RescheduleLaunchHandler implements ICommandHandler<RescheduleLaunchCommand, ScheduledOutcome> {
  constructor(
    private readonly runner: LaunchCommandRunner,
    private readonly history: LaunchHistoryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: RescheduleLaunchCommand): Promise<ScheduledOutcome> {
    const outcome = await this.runner.run(command.launchId, { type: 'RescheduleLaunch', data: { ...command.body } }, command.context);
    return withScheduleWarnings(outcome, this.history, this.clock);
  }
}
