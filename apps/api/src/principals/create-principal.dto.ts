import { ApiProperty, ApiPropertyOptional, ApiSchema, type SchemaObject } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEPARTMENT_KEYS, ROLES, type Department, type Role } from '#launch';
import { IsText } from '../http/validators.js';
import { text } from '../http/openapi/schema-fields.js';

@ApiSchema({ name: 'CreatePrincipalRequest' })
export class CreatePrincipalDto {
  @ApiProperty(text(200, 'Sales ops integration'))
  @IsText(200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as unknown as string[])
  role!: Role;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: 'Required for, and only for, the department role' })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS as string[])
  department?: Department;
}

/**
 * `department` is required for, and only for, the department role. Each branch names every field it
 * lets through, so that validators which close objects (example checks) read it the same way.
 */
const NAME = text(200, 'Sales ops integration') as SchemaObject;

export const DEPARTMENT_ONLY_FOR_DEPARTMENTS: SchemaObject = {
  oneOf: [
    {
      properties: { name: NAME, role: { type: 'string', enum: ['department'] }, department: { type: 'string', enum: [...DEPARTMENT_KEYS] } },
      required: ['department'],
    },
    {
      properties: { name: NAME, role: { type: 'string', enum: ROLES.filter((role) => role !== 'department') } },
      not: { properties: { department: { type: 'string', enum: [...DEPARTMENT_KEYS] } }, required: ['department'] },
    },
  ],
};
