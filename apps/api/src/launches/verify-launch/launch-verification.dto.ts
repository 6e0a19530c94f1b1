import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { integer, uuid } from '../../http/openapi/schema-fields.js';

@ApiSchema({ name: 'LaunchVerification', description: "The launch's hash chain recomputed over its stored events" })
export class LaunchVerificationDto {
  @ApiProperty(uuid())
  launchId!: string;

  @ApiProperty({ type: 'boolean', description: 'false when a stored event was changed, removed or reordered' })
  valid!: boolean;

  @ApiProperty(integer(0, 'Events in the stream'))
  events!: number;

  @ApiPropertyOptional(integer(0, 'The first revision whose hash or link does not hold'))
  firstInvalidRevision?: number;

  @ApiPropertyOptional(integer(0, "The first revision the server's ledger key did not authenticate (an event written by something else)"))
  firstUnauthenticatedRevision?: number;
}
