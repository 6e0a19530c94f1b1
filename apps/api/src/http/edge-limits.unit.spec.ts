import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { defaultMaxConnections, fastifyTrustProxy, httpServerOptions, parseEdgeLimits, parseTrustProxy } from './edge-limits.js';

describe('edge limits', () => {
  it('defaults to short request, header and keep-alive timeouts', () => {
    const limits = parseEdgeLimits({});
    expect(limits).toMatchObject({ requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, idleTimeoutMs: 60_000, trustProxy: false });
    expect(limits.maxConnections).toBeGreaterThan(0);
    expect(httpServerOptions(limits)).toEqual({ requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1000 });
  });

  it('refuses values that would not protect anything or would cut live streams', () => {
    expect(() => parseEdgeLimits({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => parseEdgeLimits({ MAX_CONNECTIONS: 'many' })).toThrow(/MAX_CONNECTIONS/);
    expect(() => parseEdgeLimits({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '8000' })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(() => parseEdgeLimits({ IDLE_TIMEOUT_MS: '5000' })).toThrow(/IDLE_TIMEOUT_MS/);
    expect(parseEdgeLimits({ REQUEST_TIMEOUT_MS: '4000' }).headersTimeoutMs).toBe(4000);
  });

  it('keeps the default connection cap under the open-file limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'limits-'));
    const file = join(dir, 'limits');
    writeFileSync(
      file,
      'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\n',
    );
    try {
      expect(defaultMaxConnections(file)).toBe(896);
      expect(defaultMaxConnections(join(dir, 'absent'))).toBe(896);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads TRUST_PROXY as off, on, a hop count or proxy addresses', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, 127.0.0.1,::1, loopback')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'loopback']);
    expect(() => parseTrustProxy('proxy.example.com')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    const twoHops = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
  });
});
