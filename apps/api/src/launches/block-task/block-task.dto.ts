import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'BlockTaskRequest' })
export class BlockTaskDto {
  @ApiProperty({ ...text(2000), description: 'Why the task is blocked' })
  @IsText(2000)
  reason!: string;
}
