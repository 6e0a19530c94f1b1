import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'WaiveTaskRequest' })
export class WaiveTaskDto {
  @ApiProperty({ ...text(2000), description: 'Why the task is not needed' })
  @IsText(2000)
  reason!: string;
}
