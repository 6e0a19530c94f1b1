import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'FieldError', description: 'One refused field of the request' })
export class FieldErrorDto {
  @ApiProperty({ example: 'targetDate', description: 'The field, dotted for nested ones (`details.repsTrained`), or a header name' })
  field!: string;

  @ApiProperty({ example: 'must be a date YYYY-MM-DD' })
  message!: string;
}

@ApiSchema({ name: 'Problem', description: 'An RFC 9457 problem document (`application/problem+json`)' })
export class ProblemDto {
  @ApiProperty({ format: 'uri', example: 'https://launch-control.dev/problems/bad-request' })
  type!: string;

  @ApiProperty({ example: 'Bad Request' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiProperty({ example: 'targetDate must be a date YYYY-MM-DD' })
  detail!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], minItems: 1 })
  errors?: FieldErrorDto[];
}
