import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DEPARTMENT_KEYS, TASK_KINDS } from '#launch';
import { integer, text } from '../http/openapi/schema-fields.js';
import { LaunchPolicyDto } from '../launches/shared/launch-views.dto.js';

@ApiSchema({ name: 'Department' })
export class DepartmentDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  key!: string;

  @ApiProperty({ type: 'string', example: 'Sales' })
  name!: string;
}

@ApiSchema({ name: 'TemplateTask' })
export class TemplateTaskDto {
  @ApiProperty({ type: 'string', minLength: 1 })
  key!: string;

  @ApiProperty(text(200))
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ enum: TASK_KINDS })
  kind!: string;

  @ApiProperty({ type: 'boolean' })
  required!: boolean;

  @ApiProperty(integer(0, 'The task is due this many days before the target date'))
  dueDaysBeforeLaunch!: number;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string' }, description: 'Keys of tasks of this template whose sign-off must stand first' })
  dependsOn?: string[];

  @ApiProperty({ type: 'array', items: { type: 'string' }, description: "The fields of this kind's completion details" })
  detailFields!: string[];
}

@ApiSchema({ name: 'TierTemplate' })
export class TierTemplateDto {
  @ApiProperty({ type: 'integer', enum: [1, 2, 3] })
  tier!: number;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ type: 'string' })
  version!: string;

  @ApiPropertyOptional({ type: LaunchPolicyDto })
  policy?: LaunchPolicyDto;

  @ApiProperty({ type: [TemplateTaskDto] })
  tasks!: TemplateTaskDto[];
}
