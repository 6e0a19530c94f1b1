import type { ApiPropertyOptions } from '@nestjs/swagger';

/** Schema fragments for the constraints the server enforces, shared by request and answer DTOs. */

/** `IsText(max)`: something besides white space, at most `max` characters. */
export const text = (maxLength: number, example?: string): ApiPropertyOptions => ({
  type: 'string',
  minLength: 1,
  maxLength,
  pattern: '\\S',
  ...(example !== undefined && { example }),
});

export const uuid = (description?: string): ApiPropertyOptions => ({
  type: 'string',
  format: 'uuid',
  example: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  ...(description && { description }),
});

/** A calendar date `YYYY-MM-DD`. */
export const date = (description?: string, example = '2027-03-01'): ApiPropertyOptions => ({
  type: 'string',
  format: 'date',
  example,
  ...(description && { description }),
});

/** An ISO-8601 instant with its zone. */
export const instant = (description?: string): ApiPropertyOptions => ({
  type: 'string',
  format: 'date-time',
  example: '2027-02-20T10:00:00Z',
  ...(description && { description }),
});

/** An http(s) URL. */
export const httpUrl = (description?: string, example = 'https://docs.example.com/aurora'): ApiPropertyOptions => ({
  type: 'string',
  format: 'uri',
  maxLength: 2048,
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  example,
  ...(description && { description }),
});

/** A whole number of at least `minimum` (counts, revisions, positions). */
export const integer = (minimum = 0, description?: string, maximum?: number): ApiPropertyOptions => ({
  type: 'integer',
  minimum,
  ...(maximum !== undefined && { maximum }),
  ...(description && { description }),
});
