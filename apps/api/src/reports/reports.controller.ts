import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { assertReportWindow, MAX_REPORT_WINDOW_DAYS, type DepartmentsReport, type LaunchReport } from '#launch';
import { Roles } from '../auth/auth.decorators.js';
import { IsIsoDate } from '../http/validators.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { date } from '../http/openapi/schema-fields.js';
import { ConsistencyQuery } from '../launches/shared/read-queries.dto.js';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { CSV_CONTENT_TYPE, DEPARTMENTS_REPORT_COLUMNS, departmentsReportCsv, LAUNCH_REPORT_COLUMNS, launchReportCsv } from './report-csv.js';
import { GetDepartmentsReportQuery, GetLaunchReportQuery } from './report.queries.js';
import { ApiReportAnswers, DepartmentsReportDto, LaunchReportDto } from './report-views.dto.js';

const FORMATS = ['json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

export class LaunchReportParams {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: 'csv: one row per department, as a download' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: Format;
}

export class DepartmentsReportParams extends ConsistencyQuery {
  @ApiProperty(date('First day of the window (UTC), included', '2027-01-01'))
  @IsIsoDate()
  from!: string;

  @ApiProperty(date(`Last day of the window (UTC), included; at most ${MAX_REPORT_WINDOW_DAYS} days after from, counting both`, '2027-03-31'))
  @IsIsoDate()
  to!: string;

  @ApiPropertyOptional({ enum: FORMATS, default: 'json', description: 'csv: one row per department, as a download' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: Format;
}

const download = (csv: string, filename: string) =>
  new StreamableFile(Buffer.from(csv, 'utf8'), { type: CSV_CONTENT_TYPE, disposition: `attachment; filename="${filename}"` });

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get('launches/:launchId/report')
  @ApiReportAnswers(LaunchReportDto, LAUNCH_REPORT_COLUMNS, ['launchId'], 'launch-<id>-report.csv')
  @ApiOperation({
    summary: "What the launch's log says about delivery: per department on time, late, waived, invalidated; days to go and to launch",
    description: 'Folded from the events, so it holds for launches finished before reports existed. Anyone who may read the launch may read its report.',
  })
  async launch(@Param('launchId', UuidPipe) launchId: string, @Query() query: LaunchReportParams): Promise<LaunchReport | StreamableFile> {
    const report = await this.queryBus.execute(new GetLaunchReportQuery(launchId));
    return query.format === 'csv' ? download(launchReportCsv(report), `launch-${launchId}-report.csv`) : report;
  }

  @Get('reports/departments')
  @Roles('admin', 'launch-manager', 'auditor')
  @ApiReportAnswers(DepartmentsReportDto, DEPARTMENTS_REPORT_COLUMNS, [], 'departments-<from>-<to>.csv')
  @ApiOperation({
    summary: 'On-time delivery per department over the launches that launched in a window of days (admins, launch managers, auditors)',
    description: `from ≤ to, at most ${MAX_REPORT_WINDOW_DAYS} days counting both; a launch counts on the UTC date it was marked launched.`,
  })
  async departments(@Query() query: DepartmentsReportParams): Promise<DepartmentsReport | StreamableFile> {
    const window = assertReportWindow(query);
    await this.readYourWrites.atLeast(query.minPosition);
    const report = await this.queryBus.execute(new GetDepartmentsReportQuery(window));
    return query.format === 'csv' ? download(departmentsReportCsv(report), `departments-${window.from}-${window.to}.csv`) : report;
  }
}
