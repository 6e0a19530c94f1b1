import { describe, expect, it } from '@jest/globals';
import { chooseEncoding, matchesEtag, variantEtag, type DashboardAsset } from './dashboard-assets.js';

const asset = (withCompressed = true): DashboardAsset => ({
  path: '/assets/main-0123456789ab.js',
  contentType: 'text/javascript; charset=utf-8',
  cacheControl: 'public, max-age=31536000, immutable',
  etag: '"abc"',
  identity: Buffer.from('x'),
  ...(withCompressed ? { br: Buffer.from('b'), gzip: Buffer.from('g') } : {}),
});

describe('dashboard files: encoding by Accept-Encoding, validators per encoding', () => {
  it('prefers brotli, then gzip, and never sends what the client refuses', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd', asset())).toBe('br');
    expect(chooseEncoding('gzip', asset())).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5', asset())).toBe('gzip');
    expect(chooseEncoding('*', asset())).toBe('br');
    expect(chooseEncoding('*;q=0', asset())).toBeUndefined();
    expect(chooseEncoding('identity', asset())).toBeUndefined();
    expect(chooseEncoding(undefined, asset())).toBeUndefined();
    expect(chooseEncoding('br, gzip', asset(false))).toBeUndefined();
  });

  it('gives each encoding its own strong validator and matches any of them (and *) in If-None-Match', () => {
    expect(variantEtag(asset(), undefined)).toBe('"abc"');
    expect(variantEtag(asset(), 'br')).toBe('"abc.br"');
    expect(matchesEtag('"abc.gzip"', asset())).toBe(true);
    expect(matchesEtag('"zzz", W/"abc"', asset())).toBe(true);
    expect(matchesEtag('*', asset())).toBe(true);
    expect(matchesEtag('"abcd"', asset())).toBe(false);
    expect(matchesEtag(undefined, asset())).toBe(false);
  });
});
