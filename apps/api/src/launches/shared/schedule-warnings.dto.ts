import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DEPARTMENT_KEYS } from '#launch';
import { date, uuid } from '../../http/openapi/schema-fields.js';
import { CommandAnswerDto } from './launch-views.dto.js';

@ApiSchema({ name: 'ScheduleWarning', description: 'A task that was already overdue (due before today, UTC) when the launch was created or rescheduled' })
export class ScheduleWarningDto {
  @ApiProperty({ type: 'string', enum: ['TaskAlreadyOverdue'] })
  code!: 'TaskAlreadyOverdue';

  @ApiProperty(uuid())
  taskId!: string;

  @ApiProperty({ type: 'string' })
  title!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty(date('The task’s due date, before today'))
  dueDate!: string;
}

@ApiSchema({ name: 'ScheduleCommandAnswer', description: 'What creating or rescheduling a launch answers: the command answer and its warnings' })
export class ScheduleCommandAnswerDto extends CommandAnswerDto {
  @ApiProperty({ type: [ScheduleWarningDto], description: 'Tasks not signed off whose due date is already past, in checklist order; `[]` when none' })
  warnings!: ScheduleWarningDto[];
}
