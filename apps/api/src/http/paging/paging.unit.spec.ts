import { describe, expect, it } from '@jest/globals';
import { ValidationFailed } from '#launch';
import { decodeCursor, encodeCursor } from './cursor.js';
import { commaSeparated } from './paging.dto.js';
import { nextPageLink } from './next-link.js';

const scope = { list: 'launches', sort: 'name', filters: { status: ['go', 'planning'], tier: undefined, q: 'Ünï' } };

describe('cursor', () => {
  it('gives back the sort key it was made with, for the same query only', () => {
    const key = ['Aurora GA', null, 42, '0b6c…'];
    const cursor = encodeCursor(scope, key);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(decodeCursor(cursor, scope, 4)).toEqual(key);
    // absent filters do not count
    expect(decodeCursor(cursor, { ...scope, filters: { q: 'Ünï', status: ['go', 'planning'] } }, 4)).toEqual(key);
    const refusal = (scopeNow: typeof scope, length = 4) => {
      try {
        decodeCursor(cursor, scopeNow, length);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationFailed);
        return (err as ValidationFailed).message;
      }
      throw new Error('accepted');
    };
    expect(refusal({ ...scope, list: 'inbox:sales' })).toMatch(/another list/);
    expect(refusal({ ...scope, sort: '-name' })).toMatch(/another sort/);
    expect(refusal({ ...scope, filters: { ...scope.filters, q: 'ünï' } })).toMatch(/other filters/);
    expect(refusal(scope, 3)).toMatch(/not a cursor/);
  });

  it('refuses anything altered, truncated or made up', () => {
    const cursor = encodeCursor(scope, ['x', 'y']);
    const [body, sum] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ l: 'launches', s: 'name', f: 'x', k: ['a', 'b'] })).toString('base64url');
    for (const bad of [`${body}.${sum.slice(1)}`, `${body.slice(1)}.${sum}`, body, `${body}.${sum}.x`, '', '.', `${forged}.${sum}`, 'x'.repeat(3000)]) {
      expect(() => decodeCursor(bad, scope, 2)).toThrow(ValidationFailed);
    }
  });
});

describe('next page link', () => {
  it('keeps every other parameter as sent and replaces the cursor', () => {
    expect(nextPageLink('/v1/launches?q=a%20b&status=go,planning&limit=2', 'c.d')).toBe(
      '</v1/launches?q=a%20b&status=go,planning&limit=2&cursor=c.d>; rel="next"',
    );
    expect(nextPageLink('/v1/launches?cursor=old&limit=2&cur%73or=older', 'new')).toBe('</v1/launches?limit=2&cursor=new>; rel="next"');
    expect(nextPageLink('/v1/launches', 'x')).toBe('</v1/launches?cursor=x>; rel="next"');
  });

  it('never lets the request close the link or break the header', () => {
    const link = nextPageLink('/v1/launches?q=<a> "b"\r\n&limit=1', 'x');
    expect(link).toMatch(/^<[^<>"\s]+>; rel="next"$/);
    expect(link).toContain('q=%3Ca%3E%20%22b%22%0D%0A');
  });
});

describe('comma-separated lists', () => {
  it('splits, trims and drops empty entries and repeats', () => {
    expect(commaSeparated('open, stale,,open')).toEqual(['open', 'stale']);
    expect(commaSeparated(undefined)).toBeUndefined();
    expect(commaSeparated('')).toEqual([]);
  });
});
