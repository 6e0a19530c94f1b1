import { Module } from '@nestjs/common';
import { LaunchesModule } from '../launches/launches.module.js';
import { ReportReader } from './report-reader.js';
import { GetDepartmentsReportHandler, GetLaunchReportHandler } from './report.queries.js';
import { ReportsController } from './reports.controller.js';

/** Reports folded from the launches' events: one launch, or every department over a window. */
@Module({
  imports: [LaunchesModule],
  controllers: [ReportsController],
  providers: [ReportReader, GetLaunchReportHandler, GetDepartmentsReportHandler],
})
export class ReportsModule {}
