import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { DEPARTMENT_KEYS, TASK_KINDS, type Department, type TaskKind } from '#launch';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'AddTaskRequest' })
export class AddTaskDto {
  @ApiProperty(text(200, 'Partner briefing'))
  @IsText(200)
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  @IsIn(DEPARTMENT_KEYS as string[])
  department!: Department;

  @ApiPropertyOptional({ enum: TASK_KINDS, default: 'generic' })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  @ApiPropertyOptional({ type: 'boolean', default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional(date('Defaults to the target date', '2027-02-20'))
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    maxItems: 50,
    example: [],
    description: 'Ids of tasks of this launch that must be signed off first',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  dependsOn?: string[];
}
