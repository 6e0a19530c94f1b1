import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TASK_KINDS } from '#launch';
import { date, text, uuid } from '../http/openapi/schema-fields.js';
import { TASK_STATUSES } from '../launches/shared/task-views.dto.js';
import { TaskOwnerDto } from '../launches/shared/task-owner.dto.js';

@ApiSchema({ name: 'InboxItem', description: 'A task a department owes, with its launch' })
export class InboxItemDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty(text(200, 'Aurora GA'))
  launchName!: string;

  @ApiProperty(date())
  targetDate!: string;

  @ApiProperty(uuid())
  taskId!: string;

  @ApiProperty(text(200, 'Train the sales team'))
  title!: string;

  @ApiProperty({ enum: TASK_KINDS })
  kind!: string;

  @ApiProperty({ type: 'boolean' })
  required!: boolean;

  @ApiProperty(date())
  dueDate!: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: string;

  @ApiProperty({ type: TaskOwnerDto, nullable: true, description: 'The person who does the task; null until assigned' })
  owner!: TaskOwnerDto | null;
}
