import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';

@ApiSchema({ name: 'Liveness' })
export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

@ApiSchema({ name: 'HealthCheck' })
export class HealthCheckDto {
  @ApiProperty({ type: 'boolean' })
  ok!: boolean;

  @ApiPropertyOptional({ type: 'string', description: 'Why it fails' })
  detail?: string;
}

@ApiSchema({ name: 'HealthReadiness', description: 'Each store, the principals and the projections' })
export class HealthReadinessDto {
  @ApiProperty({ enum: ['ready', 'not-ready'] })
  status!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(HealthCheckDto) },
    description: 'eventStore, readModels, projections (when this process projects), principals (while the admin is not yet stored)',
  })
  checks!: Record<string, HealthCheckDto>;
}
