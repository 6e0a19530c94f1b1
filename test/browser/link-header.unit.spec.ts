import { describe, expect, it } from '@jest/globals';
import { nextLink } from '../../apps/web/src/link-header.js';

describe('the dashboard finds the next page in an RFC 8288 Link header', () => {
  it('takes the rel="next" target, whatever else the header lists', () => {
    expect(nextLink('</v1/launches?limit=100&cursor=abc>; rel="next"')).toBe('/v1/launches?limit=100&cursor=abc');
    expect(nextLink('</v1/launches?limit=2>; rel="first", </v1/launches?limit=2&cursor=x%2Cy>; rel="next"')).toBe('/v1/launches?limit=2&cursor=x%2Cy');
    expect(nextLink('</a>; rel="prev next"')).toBe('/a');
    expect(nextLink('</a>; rel=next; title="more"')).toBe('/a');
  });

  it('finds none on the last page, without a header, or for other relations', () => {
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
    expect(nextLink('</v1/launches?limit=2>; rel="first"')).toBeUndefined();
    expect(nextLink('</a>; rel="nextish"')).toBeUndefined();
  });
});
