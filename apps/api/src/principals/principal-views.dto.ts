import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { DEPARTMENT_KEYS, ROLES } from '#launch';
import { instant, text, uuid } from '../http/openapi/schema-fields.js';

@ApiSchema({ name: 'Principal', description: 'A principal, never its token' })
export class PrincipalDto {
  @ApiProperty(uuid())
  id!: string;

  @ApiProperty(text(200, 'Sales ops integration'))
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ enum: DEPARTMENT_KEYS, nullable: true, description: 'Set for, and only for, the department role' })
  department!: string | null;

  @ApiProperty(instant())
  createdAt!: string;

  @ApiPropertyOptional(instant('When its token was revoked'))
  revokedAt?: string;
}

@ApiSchema({ name: 'CreatedPrincipal', description: 'A new principal with its token, shown only in this answer' })
export class CreatedPrincipalDto extends PrincipalDto {
  @ApiProperty({ type: 'string', pattern: '^lc_[A-Za-z0-9_-]{43}$', description: 'Bearer token (opaque); stored only as a hash' })
  token!: string;
}
