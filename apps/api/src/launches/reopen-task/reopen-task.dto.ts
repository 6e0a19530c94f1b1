import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'ReopenTaskRequest' })
export class ReopenTaskDto {
  @ApiProperty({ ...text(2000), description: 'Why the sign-off no longer stands' })
  @IsText(2000)
  reason!: string;
}
