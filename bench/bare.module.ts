import { Controller, Module } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { CommandOutcome } from '../apps/api/src/launches/shared/command-plan.js';
import { CompleteTaskController } from '../apps/api/src/launches/complete-task/complete-task.controller.js';
import type { CompleteTaskCommand } from '../apps/api/src/launches/complete-task/complete-task.handler.js';

/** Answers every command as if it had appended nothing, without reading, deciding or appending. */
class NoCommandBus {
  private position = 0;

  async execute(command: CompleteTaskCommand): Promise<CommandOutcome> {
    this.position += 1;
    return { launchId: command.launchId, revision: 0, position: this.position, events: [], replayed: false };
  }
}

/**
 * The benchmark's baseline: the product's task-completion route itself (the inherited handler with
 * its global auth guard, UuidPipe on the ids, DTO through the global ValidationPipe, idempotency
 * interceptor, command context and ETag) under another path, with a command bus that runs no
 * command. Loaded only by bench/server.ts, never by the product.
 */
@Controller('bench/bare/launches/:launchId')
export class BareCompleteTaskController extends CompleteTaskController {
  constructor() {
    super(new NoCommandBus() as unknown as CommandBus);
  }
}

@Module({ controllers: [BareCompleteTaskController] })
export class BenchBareModule {}
