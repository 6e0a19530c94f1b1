import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

/** The same limits as at creation. */
@ApiSchema({ name: 'EditLaunchRequest' })
export class EditLaunchDto {
  @ApiPropertyOptional(text(200, 'Aurora 2 GA'))
  @IsOptional()
  @IsText(200)
  name?: string;

  @ApiPropertyOptional(text(200, 'Aurora'))
  @IsOptional()
  @IsText(200)
  product?: string;

  @ApiPropertyOptional(text(4000, 'General availability of Aurora 2'))
  @IsOptional()
  @IsText(4000)
  description?: string;
}
