import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { HeaderObject } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { ConsistencyQuery } from '../../launches/shared/read-queries.dto.js';
import type { PageRequest } from './find-page.js';
import { ApiJsonAnswer, ApiProblems, type AnswerType } from '../openapi/api-contract.decorators.js';

export const MAX_PAGE_SIZE = 500;

/** `limit` and `cursor`, for any list that pages; a list adds its own `sort`, `q` and filters. */
export class PageParams extends ConsistencyQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    description: 'Answer at most this many items, and announce the next page in `Link: <…>; rel="next"`. Without it the answer is the whole list',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: 2048,
    description: 'Where the page starts: taken as it is from the `Link` header of the page before (opaque; only valid with the same filters and sort)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}

/** The page a list's `limit` and `cursor` ask for. */
export const pageRequestOf = ({ limit, cursor }: PageParams): PageRequest => ({ limit, cursor });

/** `q`: a case-insensitive substring to look for. */
export const SearchText = (description: string) =>
  applyDecorators(ApiPropertyOptional({ type: 'string', maxLength: 200, description }), IsOptional(), IsString(), MaxLength(200));

/** The values of a comma-separated list parameter, trimmed, without empty entries or repeats. */
export function commaSeparated(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(value.split(',').map((item) => item.trim()))].filter((item) => item !== '');
}

/**
 * A comma-separated list of `allowed` values (`open,stale`), documented as such; an unknown value is a
 * 400 that names it.
 */
export const CommaListOf = (allowed: readonly string[], description: string, example = allowed.slice(0, 2).join(',')) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      description: `${description}: one or more of ${allowed.join(', ')}, separated by commas`,
      pattern: `^(${allowed.join('|')})(,(${allowed.join('|')}))*$`,
      example,
    }),
    IsOptional(),
    ValidateBy({
      name: 'isCommaListOf',
      constraints: [allowed],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const items = commaSeparated(value)!;
          return items.length > 0 && items.every((item) => allowed.includes(item));
        },
        defaultMessage: (args) => {
          const value = args?.value;
          if (typeof value !== 'string') return '$property must be a comma-separated list';
          const unknown = commaSeparated(value)!.filter((item) => !allowed.includes(item));
          if (unknown.length === 0) return '$property must name at least one value';
          return `$property: unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u.slice(0, 40))).join(', ')}; allowed: ${allowed.join(', ')}`;
        },
      },
    }),
  );

const LINK: HeaderObject = {
  description:
    'With `limit`, when there is a next page: `<path?…&cursor=…>; rel="next"` (RFC 8288), the same query with the next cursor. Absent on the last page',
  schema: { type: 'string', pattern: '^<\\/[^>]*>; rel="next"$' },
};

/** A list read that pages: its answer with the `Link` header, and the problems any read can give. */
export function ApiPagedRead(type: AnswerType, options: { extra?: Array<404> } = {}) {
  return applyDecorators(ApiJsonAnswer(200, type, 'OK', { Link: LINK }), ApiProblems(400, 401, 403, 429, 503, ...(options.extra ?? [])));
}
