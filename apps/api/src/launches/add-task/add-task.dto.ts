import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { DEPARTMENT_KEYS, TASK_KINDS, type Department, type TaskKind } from '#launch';
import { IsIsoDate, IsText } from '../../http/validators.js';

export class AddTaskDto {
  @ApiProperty({ example: 'Partner briefing' })
  @IsText(200)
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  @IsIn(DEPARTMENT_KEYS as string[])
  department!: Department;

  @ApiPropertyOptional({ enum: TASK_KINDS, default: 'generic' })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ description: 'YYYY-MM-DD; defaults to the target date' })
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({ type: [String], description: 'Ids of tasks of this launch that must be signed off first' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  dependsOn?: string[];
}
