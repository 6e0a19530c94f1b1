import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exactLatency, loadPhase } from '../bench/bench-http.js';

describe('bench latency figures', () => {
  it('takes p50, p99 and the maximum by nearest rank, to the microsecond', () => {
    const latencies = Array.from({ length: 200 }, (_, i) => 4 + i / 100 + 0.0004);
    expect(exactLatency(latencies)).toEqual({ p50: 4.99, p99: 5.97, max: 5.99 });
    expect(exactLatency([]).p50).toBeNaN();
  });

  describe('an autocannon phase against a loopback server answering at once', () => {
    let server: http.Server;
    let url: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(req.url === '/refused' ? 409 : 200, { 'content-type': 'application/json' }).end('{}'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('reports latencies below a millisecond as fractions, not as whole milliseconds', async () => {
      const result = await loadPhase(url, 'token', () => '/ok', 2, { amount: 400 });
      expect(result['2xx']).toBe(400);
      // autocannon's own histogram reads such answers as 0 or 1 ms.
      expect(result.latency.p50).toBeGreaterThan(0);
      expect(Number.isInteger(result.latency.p50) && Number.isInteger(result.latency.p99)).toBe(false);
      expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
    });

    it('leaves refused answers out of the latencies', async () => {
      const result = await loadPhase(url, 'token', () => '/refused', 2, { amount: 50 });
      expect(result.non2xx).toBe(50);
      expect(result.latency.p50).toBeNaN();
    });
  });
});
