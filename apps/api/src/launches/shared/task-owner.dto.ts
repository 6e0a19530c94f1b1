import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import { IsText } from '../../http/validators.js';
import { text } from '../../http/openapi/schema-fields.js';

/** The named person who does a task: in a PATCH of the task, and wherever the task is shown. */
@ApiSchema({ name: 'TaskOwner', description: 'The person who does the task; its department stays accountable' })
export class TaskOwnerDto {
  @ApiProperty(text(200, 'Ada Lovelace'))
  @IsText(200)
  name!: string;

  @ApiProperty({
    type: 'string',
    format: 'email',
    maxLength: 254,
    example: 'ada@example.com',
    description: 'Matched case-insensitively by GET /v1/tasks?owner=',
  })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}
