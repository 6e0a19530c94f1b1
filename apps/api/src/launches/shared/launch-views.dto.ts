import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DEPARTMENT_KEYS, LAUNCH_EVENT_TYPES, ROLES } from '#launch';
import { date, instant, integer, text, uuid } from '../../http/openapi/schema-fields.js';
import { TASK_SCHEMA } from './task-views.dto.js';

export const LAUNCH_STATUSES = ['planning', 'go', 'no-go', 'launched', 'cancelled'] as const;
const READINESS_STATUSES = ['ready', 'on-track', 'at-risk', 'blocked'] as const;
const TIER = { type: 'integer', enum: [1, 2, 3] } as const;

@ApiSchema({ name: 'CommandAnswer', description: 'What every launch command answers' })
export class CommandAnswerDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty(integer(0, "The launch stream's revision after the append (also the ETag)"))
  revision!: number;

  @ApiProperty(integer(0, 'Global log position of the last event appended; pass it as minPosition to read your write'))
  position!: number;

  @ApiPropertyOptional(uuid('The task the command was about (or added)'))
  taskId?: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...LAUNCH_EVENT_TYPES] }, description: 'Types of the events recorded, in order' })
  events!: string[];
}

@ApiSchema({ name: 'OverallReadiness' })
export class OverallReadinessDto {
  @ApiProperty(integer(0, 'round(100 × (completed + waived) / total) over required tasks', 100))
  percent!: number;

  @ApiProperty({ enum: READINESS_STATUSES, description: 'The worst department status' })
  status!: string;
}

@ApiSchema({ name: 'DepartmentReadiness', description: 'Counts are of required tasks' })
export class DepartmentReadinessDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty(integer(0))
  total!: number;

  @ApiProperty(integer(0))
  completed!: number;

  @ApiProperty(integer(0))
  waived!: number;

  @ApiProperty(integer(0))
  blocked!: number;

  @ApiProperty(integer(0))
  open!: number;

  @ApiProperty(integer(0))
  overdue!: number;

  @ApiProperty(integer(0, undefined, 100))
  percent!: number;

  @ApiProperty({ enum: READINESS_STATUSES })
  status!: string;
}

@ApiSchema({ name: 'Readiness', description: 'Readiness per department and overall, now or as of an instant' })
export class ReadinessDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiPropertyOptional(instant('The instant judged, for a time-travel read'))
  asOf?: string;

  @ApiProperty({ type: OverallReadinessDto })
  overall!: OverallReadinessDto;

  @ApiProperty({ type: [DepartmentReadinessDto] })
  departments!: DepartmentReadinessDto[];
}

@ApiSchema({ name: 'LaunchReadiness' })
export class LaunchReadinessDto extends OverallReadinessDto {
  @ApiProperty({ type: [DepartmentReadinessDto] })
  departments!: DepartmentReadinessDto[];
}

@ApiSchema({ name: 'LaunchSummary' })
export class LaunchSummaryDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty(text(200, 'Aurora GA'))
  name!: string;

  @ApiProperty(text(200, 'Aurora'))
  product!: string;

  @ApiProperty(TIER)
  tier!: number;

  @ApiProperty(date())
  targetDate!: string;

  @ApiProperty({ enum: LAUNCH_STATUSES })
  status!: string;

  @ApiProperty({ type: OverallReadinessDto })
  readiness!: OverallReadinessDto;
}

@ApiSchema({ name: 'Launch', description: 'A launch with its tasks and readiness' })
export class LaunchDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty(text(200, 'Aurora GA'))
  name!: string;

  @ApiProperty(text(200, 'Aurora'))
  product!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 4000 })
  description?: string;

  @ApiProperty(TIER)
  tier!: number;

  @ApiProperty(date())
  targetDate!: string;

  @ApiProperty({ enum: LAUNCH_STATUSES })
  status!: string;

  @ApiProperty(integer(0, 'The stream revision this state is at (also the ETag)'))
  revision!: number;

  @ApiProperty({ type: 'string', description: 'Version of the tier template the checklist came from' })
  templateVersion!: string;

  @ApiProperty(instant())
  createdAt!: string;

  @ApiProperty(instant())
  updatedAt!: string;

  @ApiPropertyOptional(instant('The instant judged, for a time-travel read'))
  asOf?: string;

  @ApiProperty({ type: LaunchReadinessDto })
  readiness!: LaunchReadinessDto;

  @ApiProperty({ type: 'array', items: TASK_SCHEMA })
  tasks!: unknown[];
}

@ApiSchema({ name: 'Vote', description: "A department's latest go/no-go vote" })
export class VoteDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ enum: ['go', 'no-go'] })
  vote!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  note?: string;

  @ApiProperty({ type: 'string' })
  votedBy!: string;

  @ApiProperty({ type: 'string' })
  votedByName!: string;

  @ApiProperty(instant())
  votedAt!: string;
}

@ApiSchema({ name: 'Decision', description: 'The latest go/no-go decision' })
export class DecisionDto {
  @ApiProperty({ enum: ['go', 'no-go'] })
  decision!: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  note?: string;

  @ApiProperty({ type: 'string' })
  decidedBy!: string;

  @ApiProperty({ type: 'string' })
  decidedByName!: string;

  @ApiProperty(instant())
  decidedAt!: string;
}

@ApiSchema({ name: 'Blocker', description: 'A required task not yet completed or waived' })
export class BlockerDto {
  @ApiProperty(uuid())
  taskId!: string;

  @ApiProperty({ type: 'string' })
  key!: string;

  @ApiProperty({ type: 'string' })
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ enum: ['open', 'blocked', 'stale'] })
  status!: string;

  @ApiProperty(date())
  dueDate!: string;
}

@ApiSchema({ name: 'LaunchPolicy' })
export class LaunchPolicyDto {
  @ApiProperty({ type: 'boolean', description: '`go` needs a go vote from every department with required tasks' })
  requireGoVotes!: boolean;
}

@ApiSchema({ name: 'DecisionRecord', description: 'What a go/no-go rests on' })
export class DecisionRecordDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty({ enum: LAUNCH_STATUSES })
  status!: string;

  @ApiProperty({ type: LaunchPolicyDto })
  policy!: LaunchPolicyDto;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...DEPARTMENT_KEYS] }, description: 'Departments with required tasks' })
  votingDepartments!: string[];

  @ApiProperty({ type: [VoteDto] })
  votes!: VoteDto[];

  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...DEPARTMENT_KEYS] }, description: 'Voting departments whose latest vote is not go' })
  missingGoVotes!: string[];

  @ApiProperty({ type: [BlockerDto] })
  blockers!: BlockerDto[];

  @ApiProperty({ type: DecisionDto, nullable: true, description: 'null until decided' })
  decision!: DecisionDto | null;
}

@ApiSchema({ name: 'Actor', description: 'Who recorded an event' })
export class ActorDto {
  @ApiProperty({ type: 'string' })
  id!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS })
  department?: string;
}
