import { Module } from '@nestjs/common';
import { LaunchesModule } from '../launches/launches.module.js';
import { DepartmentInboxHandler } from './department-inbox.query.js';
import { DepartmentsController } from './departments.controller.js';

@Module({
  imports: [LaunchesModule],
  controllers: [DepartmentsController],
  providers: [DepartmentInboxHandler],
})
export class DepartmentsModule {}
