import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsOptional, MaxLength, ValidateBy } from 'class-validator';
import type { TaskStatus } from '#launch';
import { ApiRead, arrayOf } from '../http/openapi/api-contract.decorators.js';
import { ConsistencyQuery } from '../launches/shared/read-queries.dto.js';
import { ReadYourWrites } from '../launches/shared/read-your-writes.js';
import { TASK_STATUSES } from '../launches/shared/task-views.dto.js';
import { OwnerTaskItemDto } from './owner-task-item.dto.js';
import { OwnerTasksQuery } from './owner-tasks.query.js';

const STATUS_LIST = new RegExp(`^(?:${TASK_STATUSES.join('|')})(?:,(?:${TASK_STATUSES.join('|')}))*$`);

const IsStatusList = () =>
  ValidateBy({
    name: 'isStatusList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && STATUS_LIST.test(value),
      defaultMessage: () => `$property must be one or more of ${TASK_STATUSES.join(', ')}, separated by commas`,
    },
  });

export class OwnerTasksParams extends ConsistencyQuery {
  @ApiProperty({ type: 'string', format: 'email', maxLength: 254, example: 'ada@example.com', description: "The owner's e-mail address (any case)" })
  @IsEmail()
  @MaxLength(254)
  owner!: string;

  @ApiPropertyOptional({
    type: 'string',
    pattern: STATUS_LIST.source,
    example: 'open,blocked,stale',
    description: `Only tasks in these statuses: one or more of ${TASK_STATUSES.join(', ')}, separated by commas`,
  })
  @IsOptional()
  @IsStatusList()
  status?: string;
}

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/tasks')
export class TasksController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(arrayOf(OwnerTaskItemDto))
  @ApiOperation({ summary: "One person's tasks across launches and departments, earliest due first" })
  async list(@Query() query: OwnerTasksParams) {
    await this.readYourWrites.atLeast(query.minPosition);
    const statuses = query.status === undefined ? undefined : [...new Set(query.status.split(','))];
    return this.queryBus.execute(new OwnerTasksQuery(query.owner, statuses as TaskStatus[] | undefined));
  }
}
