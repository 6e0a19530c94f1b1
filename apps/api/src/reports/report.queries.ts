import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { departmentsReport, NotFound, type DepartmentsReport, type LaunchReport, type ReportWindow } from '#launch';
import { ReportReader } from './report-reader.js';

export class GetLaunchReportQuery extends Query<LaunchReport> {
  constructor(readonly launchId: string) {
    super();
  }
}

@QueryHandler(GetLaunchReportQuery)
export class GetLaunchReportHandler implements IQueryHandler<GetLaunchReportQuery, LaunchReport> {
  constructor(private readonly reports: ReportReader) {}

  async execute({ launchId }: GetLaunchReportQuery): Promise<LaunchReport> {
    const report = await this.reports.launch(launchId);
    if (!report) throw new NotFound('no such launch');
    return report;
  }
}

export class GetDepartmentsReportQuery extends Query<DepartmentsReport> {
  constructor(readonly window: ReportWindow) {
    super();
  }
}

@QueryHandler(GetDepartmentsReportQuery)
export class GetDepartmentsReportHandler implements IQueryHandler<GetDepartmentsReportQuery, DepartmentsReport> {
  constructor(private readonly reports: ReportReader) {}

  async execute({ window }: GetDepartmentsReportQuery): Promise<DepartmentsReport> {
    return departmentsReport(window, await this.reports.launchedCandidates(window));
  }
}
