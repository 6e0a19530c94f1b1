import { ApiProperty, ApiPropertyOptional, ApiSchema, type SchemaObject } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DEPARTMENT_KEYS } from '#launch';
import { instant, uuid } from '../http/openapi/schema-fields.js';

@ApiSchema({ name: 'CreateCalendarFeedRequest' })
export class CreateCalendarFeedDto {
  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS, description: "A department's feed: its tasks' due dates and their launches' target dates and decisions" })
  @IsOptional()
  @IsIn(DEPARTMENT_KEYS as string[])
  department?: string;

  @ApiPropertyOptional(uuid("A launch's feed: its target date, every task's due date and its decision"))
  @IsOptional()
  @IsUUID()
  launchId?: string;
}

/** Exactly one of `department` and `launchId`; each branch names every field it lets through. */
export const ONE_FEED_SCOPE: SchemaObject = {
  oneOf: [
    { properties: { department: { type: 'string', enum: [...DEPARTMENT_KEYS] } }, required: ['department'] },
    { properties: { launchId: { type: 'string', format: 'uuid' } }, required: ['launchId'] },
  ],
};

@ApiSchema({ name: 'CalendarFeed', description: 'A calendar feed; its URL (a secret) is shown only when it is created' })
export class CalendarFeedDto {
  @ApiProperty(uuid())
  id!: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KEYS })
  department?: string;

  @ApiPropertyOptional(uuid())
  launchId?: string;

  @ApiProperty(instant())
  createdAt!: string;
}

@ApiSchema({ name: 'CreatedCalendarFeed', description: 'A new calendar feed with its secret URL, shown this once' })
export class CreatedCalendarFeedDto extends CalendarFeedDto {
  @ApiProperty({
    type: 'string',
    format: 'uri',
    example: 'https://launch.example.com/v1/calendar-feeds/3fa85f64-5717-4562-b3fc-2c963f66afa6/lcf_Qm9vdHN0cmFwIGFkbWluIHRva2VuIGV4YW1wbGU.ics',
    description: 'Subscribe to it in a calendar application: no token needed, so treat it as a password. Revoke it with DELETE',
  })
  url!: string;
}
