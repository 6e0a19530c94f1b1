import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsIsoDate, IsText } from '../../http/validators.js';
import { date, text } from '../../http/openapi/schema-fields.js';
import { BackfillField } from '../shared/backfill-field.js';

@ApiSchema({ name: 'RescheduleLaunchRequest' })
export class RescheduleLaunchDto {
  @ApiProperty(date('New target date: today or later, unless `backfill`', '2027-04-01'))
  @IsIsoDate()
  targetDate!: string;

  @ApiProperty({ ...text(2000), description: 'Why it moves' })
  @IsText(2000)
  reason!: string;

  @BackfillField()
  backfill?: boolean;
}
