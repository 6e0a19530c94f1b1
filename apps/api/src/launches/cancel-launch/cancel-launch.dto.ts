import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'CancelLaunchRequest' })
export class CancelLaunchDto {
  @ApiProperty({ ...text(2000), description: 'Why the launch is cancelled' })
  @IsText(2000)
  reason!: string;
}
