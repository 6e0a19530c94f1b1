import { Module } from '@nestjs/common';
import { LaunchesModule } from '../launches/launches.module.js';
import { OwnerTasksHandler } from './owner-tasks.query.js';
import { TasksController } from './tasks.controller.js';

/** Tasks across launches by who does them. */
@Module({
  imports: [LaunchesModule],
  controllers: [TasksController],
  providers: [OwnerTasksHandler],
})
export class TasksModule {}
