import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';
import { TaskOwnerDto } from '../shared/task-owner.dto.js';

@ApiSchema({ name: 'UpdateTaskRequest' })
export class UpdateTaskDto {
  @ApiPropertyOptional(date('New due date', '2027-02-25'))
  @IsOptional()
  @IsIsoDate()
  dueDate?: string;

  @ApiPropertyOptional({ ...text(200), description: 'New title' })
  @IsOptional()
  @IsText(200)
  title?: string;

  @ApiPropertyOptional({ type: TaskOwnerDto, nullable: true, description: 'Assign the task to a person; null unassigns it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => TaskOwnerDto)
  owner?: TaskOwnerDto | null;
}
