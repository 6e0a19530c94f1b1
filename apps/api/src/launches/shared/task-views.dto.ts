import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import { DEPARTMENT_KEYS, TASK_KINDS, type TaskKind } from '#launch';
import { date, httpUrl, instant, text, uuid } from '../../http/openapi/schema-fields.js';
import { DETAILS_BY_KIND } from './task-details.dto.js';
import { TaskOwnerDto } from './task-owner.dto.js';

export const TASK_STATUSES = ['open', 'blocked', 'completed', 'waived', 'stale'] as const;

/** What every task shows, whatever its kind. */
abstract class TaskFields {
  @ApiProperty(uuid())
  taskId!: string;

  @ApiProperty({ type: 'string', minLength: 1, description: 'The template key (or one made for an added task)', example: 'sales-training' })
  key!: string;

  @ApiProperty(text(200, 'Train the sales team'))
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ type: 'boolean' })
  required!: boolean;

  @ApiProperty(date())
  dueDate!: string;

  @ApiProperty({ enum: TASK_STATUSES, description: 'stale: a completed sign-off invalidated by a reopened dependency' })
  status!: string;

  @ApiProperty({ type: TaskOwnerDto, nullable: true, description: 'The person who does the task; null until assigned' })
  owner!: TaskOwnerDto | null;

  @ApiPropertyOptional(instant())
  completedAt?: string;

  @ApiPropertyOptional({ type: 'string', description: 'Id of the principal who completed it' })
  completedBy?: string;

  @ApiPropertyOptional({ type: 'string' })
  completedByName?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  note?: string;

  @ApiPropertyOptional(httpUrl())
  evidenceUrl?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  blockedReason?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 2000 })
  waivedReason?: string;

  @ApiPropertyOptional({ type: 'string', description: 'Why a completed sign-off became stale' })
  invalidatedReason?: string;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Tasks whose sign-off must stand first' })
  dependsOn?: string[];
}

abstract class LaunchTaskFields extends TaskFields {
  @ApiProperty(uuid('The launch the task belongs to'))
  launchId!: string;
}

const pascal = (kind: string) => kind.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());

/** The task schema of one kind: `kind` fixed, `details` that kind's evidence. */
function taskOfKind(kind: TaskKind, base: typeof TaskFields, name: string): Function {
  const model = class extends base {};
  Object.defineProperty(model, 'name', { value: `${name}Dto` });
  ApiProperty({ type: 'string', enum: [kind] })(model.prototype, 'kind');
  ApiPropertyOptional({ type: DETAILS_BY_KIND[kind] as new () => unknown })(model.prototype, 'details');
  ApiSchema({ name, description: `A ${kind} task` })(model);
  return model;
}

const TASKS = TASK_KINDS.map((kind) => [kind, taskOfKind(kind, TaskFields, `${pascal(kind)}Task`)] as const);
const LAUNCH_TASKS = TASK_KINDS.map((kind) => [kind, taskOfKind(kind, LaunchTaskFields, `${pascal(kind)}LaunchTask`)] as const);

const union = (models: ReadonlyArray<readonly [TaskKind, Function]>, description: string): SchemaObject => ({
  description,
  oneOf: models.map(([, model]) => ({ $ref: getSchemaPath(model) })),
  discriminator: { propertyName: 'kind', mapping: Object.fromEntries(models.map(([kind, model]) => [kind, getSchemaPath(model)])) },
});

export const TASK_MODELS = [...TASKS, ...LAUNCH_TASKS].map(([, model]) => model);

/** A task of a launch, discriminated by `kind` (which fixes its `details`). */
export const TASK_SCHEMA = union(TASKS, 'A task, discriminated by kind');

/** `GET /v1/launches/{id}/tasks/{taskId}`: the task with its launch's id. */
export const LAUNCH_TASK_SCHEMA = union(LAUNCH_TASKS, 'A task with its launch, discriminated by kind');
