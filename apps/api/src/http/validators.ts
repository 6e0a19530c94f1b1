import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isHttpUrl, isIsoDate, isIsoInstant } from '#launch';

/** A calendar date `YYYY-MM-DD` that exists. */
export const IsIsoDate = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isIsoDate', validator: { validate: isIsoDate, defaultMessage: () => '$property must be a date YYYY-MM-DD' } }, options);

/** An ISO-8601 instant with its zone, e.g. 2026-11-21T10:00:00Z. */
export const IsIsoInstant = (options?: ValidationOptions) =>
  ValidateBy(
    { name: 'isIsoInstant', validator: { validate: isIsoInstant, defaultMessage: () => '$property must be an ISO-8601 instant such as 2026-11-21T10:00:00Z' } },
    options,
  );

/** A string with something in it besides white space, at most `max` characters. */
export const IsText = (max: number, options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isText',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 && value.length <= max,
        defaultMessage: () => `$property must be a non-empty string of at most ${max} characters`,
      },
    },
    options,
  );

export const IsHttpUrl = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isHttpUrl', validator: { validate: isHttpUrl, defaultMessage: () => '$property must be an http(s) URL' } }, options);

/** A JSON object (not an array, not null). */
export const IsPlainObject = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPlainObject',
      validator: {
        validate: (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value),
        defaultMessage: () => '$property must be a JSON object',
      },
    },
    options,
  );
