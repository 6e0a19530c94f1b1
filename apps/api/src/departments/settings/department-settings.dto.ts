import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, MaxLength, ValidateIf } from 'class-validator';
import { DEPARTMENT_KEYS } from '#launch';
import { instant } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'DepartmentSettingsRequest' })
export class PutDepartmentSettingsDto {
  @ApiProperty({
    type: 'string',
    format: 'email',
    maxLength: 254,
    nullable: true,
    example: 'legal-team@example.com',
    description: "Where the department's daily digest is e-mailed; null: nowhere (its webhook digest still goes out)",
  })
  @ValidateIf((_, value) => value !== null)
  @IsEmail({ allow_display_name: false, require_tld: true })
  @MaxLength(254)
  email!: string | null;
}

@ApiSchema({ name: 'DepartmentSettings', description: "A department's settings as an admin set them" })
export class DepartmentSettingsDto {
  @ApiProperty({ enum: DEPARTMENT_KEYS })
  department!: string;

  @ApiProperty({ type: 'string', format: 'email', nullable: true, description: 'null: digests are not e-mailed to the department' })
  email!: string | null;

  @ApiProperty({ ...instant('When they were last set; null: never'), nullable: true })
  updatedAt!: string | null;
}
