import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { DEPARTMENT_KEYS } from '#launch';
import { InboxItemDto } from '../departments/inbox-item.dto.js';

@ApiSchema({ name: 'OwnerTaskItem', description: "A task of one person, with its launch and department (an inbox item's fields)" })
export class OwnerTaskItemDto extends InboxItemDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;
}
