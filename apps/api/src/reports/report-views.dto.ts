import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { DEPARTMENT_KEYS } from '#launch';
import { ApiProblems, ApiUuidParams } from '../http/openapi/api-contract.decorators.js';
import { date, instant, integer, uuid } from '../http/openapi/schema-fields.js';
import { LAUNCH_STATUSES } from '../launches/shared/launch-views.dto.js';
import { TASK_STATUSES } from '../launches/shared/task-views.dto.js';

const nullableInteger = (description: string) => ({ type: 'integer', minimum: 0, nullable: true, description }) as const;
const nullableNumber = (description: string, maximum?: number) =>
  ({ type: 'number', minimum: 0, ...(maximum !== undefined && { maximum }), nullable: true, description }) as const;

/** The delivery counts every report row carries. */
abstract class DeliveryCountsDto {
  @ApiProperty(integer(0, 'Tasks of the department'))
  tasks!: number;

  @ApiProperty(integer(0, 'Tasks whose sign-off stands at the end'))
  completed!: number;

  @ApiProperty(integer(0, 'Completed on or before the due date in force at the standing sign-off'))
  onTime!: number;

  @ApiProperty(integer(0, 'Completed after it'))
  late!: number;

  @ApiProperty(integer(0, 'Days late, summed over the late tasks'))
  daysLate!: number;

  @ApiProperty(nullableNumber('daysLate ÷ late (2 decimals); null without late tasks'))
  averageDaysLate!: number | null;

  @ApiProperty(integer(0))
  waived!: number;

  @ApiProperty(integer(0, 'Open, blocked or stale at the end'))
  notDone!: number;

  @ApiProperty(integer(0, 'Sign-offs later reopened or made stale'))
  signOffsInvalidated!: number;

  @ApiProperty(nullableNumber('onTime ÷ completed (3 decimals); null when nothing was completed', 1))
  onTimeRate!: number | null;
}

@ApiSchema({ name: 'DepartmentDelivery', description: "A department's delivery in one launch" })
export class DepartmentDeliveryDto extends DeliveryCountsDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;
}

@ApiSchema({ name: 'TaskDelivery', description: 'How one task was delivered' })
export class TaskDeliveryDto {
  @ApiProperty({ type: 'string' })
  taskId!: string;

  @ApiProperty({ type: 'string' })
  key!: string;

  @ApiProperty({ type: 'string' })
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ type: 'boolean' })
  required!: boolean;

  @ApiProperty({ enum: TASK_STATUSES, description: 'At the end' })
  status!: string;

  @ApiProperty(date('The due date at the end'))
  dueDate!: string;

  @ApiProperty({ ...instant('The standing sign-off (the last completion); null unless completed'), nullable: true })
  completedAt!: string | null;

  @ApiProperty({ ...date('The due date in force at the standing sign-off'), nullable: true })
  dueDateAtCompletion!: string | null;

  @ApiProperty(nullableInteger('UTC days from that due date to the sign-off (0: on time); null unless completed'))
  daysLate!: number | null;

  @ApiProperty({ type: 'boolean', nullable: true })
  onTime!: boolean | null;

  @ApiProperty(integer(0, 'Times completed'))
  completions!: number;

  @ApiProperty(integer(0))
  signOffsInvalidated!: number;
}

@ApiSchema({ name: 'LaunchReport', description: "A launch's delivery, folded from its events" })
export class LaunchReportDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ type: 'string' })
  product!: string;

  @ApiProperty({ type: 'integer', enum: [1, 2, 3] })
  tier!: number;

  @ApiProperty({ enum: LAUNCH_STATUSES })
  status!: string;

  @ApiProperty(date())
  targetDate!: string;

  @ApiProperty(instant())
  createdAt!: string;

  @ApiProperty({ ...instant('The go decision in force (the latest, unless a no-go followed); null if none'), nullable: true })
  goDecidedAt!: string | null;

  @ApiProperty({ ...instant(), nullable: true })
  launchedAt!: string | null;

  @ApiProperty(nullableInteger('UTC calendar days from creation to the go decision'))
  daysToGo!: number | null;

  @ApiProperty(nullableInteger('UTC calendar days from creation to the launch'))
  daysToLaunch!: number | null;

  @ApiProperty({ type: [DepartmentDeliveryDto], description: 'Departments with tasks, in catalog order' })
  departments!: DepartmentDeliveryDto[];

  @ApiProperty({ type: [TaskDeliveryDto], description: 'In checklist order' })
  tasks!: TaskDeliveryDto[];
}

@ApiSchema({ name: 'LaunchedInWindow' })
export class LaunchedInWindowDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty(instant('When it was marked launched'))
  launchedAt!: string;
}

@ApiSchema({ name: 'DepartmentWindowDelivery', description: "A department's delivery over the launches of the window" })
export class DepartmentWindowDeliveryDto extends DeliveryCountsDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty(integer(1, 'Launches of the window with tasks of this department'))
  launches!: number;
}

@ApiSchema({ name: 'DepartmentsReport', description: 'On-time delivery per department over the launches that launched in the window' })
export class DepartmentsReportDto {
  @ApiProperty(date())
  from!: string;

  @ApiProperty(date())
  to!: string;

  @ApiProperty({ type: [LaunchedInWindowDto], description: 'Earliest launch first' })
  launches!: LaunchedInWindowDto[];

  @ApiProperty({ type: [DepartmentWindowDeliveryDto], description: 'Departments with tasks in those launches, in catalog order' })
  departments!: DepartmentWindowDeliveryDto[];
}

/** A report's two answers: JSON, or (`format=csv`) a CSV download of its department rows. */
export function ApiReportAnswers(type: Type<unknown>, csvColumns: readonly string[], ids: string[], filename: string) {
  return applyDecorators(
    ApiExtraModels(type),
    ApiResponse({
      status: 200,
      description:
        "`format=json` (default): the report. `format=csv`: RFC 4180, a header row then one row per department; formula-like cells get a leading `'`",
      headers: { 'Content-Disposition': { description: `With format=csv: \`attachment; filename="${filename}"\``, schema: { type: 'string' } } },
      content: {
        'application/json': { schema: { $ref: getSchemaPath(type) } },
        'text/csv': { schema: { type: 'string', description: csvColumns.join(', ') } },
      },
    }),
    ApiUuidParams(...ids),
    ApiProblems(400, 401, 403, ...(ids.length > 0 ? [404 as const] : []), 429, 503),
  );
}
