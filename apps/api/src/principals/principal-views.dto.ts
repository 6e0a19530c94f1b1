import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType } from '@nestjs/swagger';
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

@ApiSchema({ name: 'Me', description: 'The calling principal; a person signed in through single sign-on also gets how, and until when' })
export class MeDto extends OmitType(PrincipalDto, ['id']) {
  @ApiProperty({
    type: 'string',
    minLength: 1,
    example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    description: 'A UUID; for single sign-on, `oidc:` and the subject (`sub`) at the provider',
  })
  id!: string;

  @ApiPropertyOptional({
    enum: ['session', 'access-token'],
    description: "Single sign-on only: a dashboard session or the provider's access token (absent for an API token)",
  })
  signedInVia?: string;

  @ApiPropertyOptional(instant('Single sign-on only: when that session or access token stops working'))
  expiresAt?: string;
}
