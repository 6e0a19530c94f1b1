import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RoutingClient } from './routing-client.js';
import { SeededRandom } from './seeded-random.js';

/** The multi-process harness relies on this: a repeated Idempotency-Key never goes to the process that had its previous try. */
describe('RoutingClient', () => {
  const servers: Server[] = [];
  const hits: string[][] = [];
  let processes: { url: string; serving: boolean }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const seen: string[] = [];
      hits.push(seen);
      const server = createServer((req, res) => {
        seen.push(String(req.headers['idempotency-key'] ?? ''));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    processes = servers.map((s) => ({ url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, serving: true }));
  });
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('sends every repeat of a key to another serving process than its previous try', async () => {
    const client = new RoutingClient(processes, new SeededRandom(1));
    const request = { method: 'POST' as const, path: '/x', token: 't', body: {} };
    for (let k = 0; k < 20; k++) {
      const tries = [];
      for (let t = 0; t < 4; t++) tries.push((await client.send({ ...request, idempotencyKey: `k${k}` })).baseUrl);
      for (let t = 1; t < tries.length; t++) expect(tries[t]).not.toBe(tries[t - 1]);
    }
    expect(client.counts.keyedRepeatsElsewhere).toBe(20 * 3);
    expect(hits.every((seen) => seen.length > 0)).toBe(true);
  });

  it('holds a repeat until another process than its previous try serves again', async () => {
    processes[1].serving = false;
    processes[2].serving = false;
    try {
      const client = new RoutingClient(processes, new SeededRandom(3));
      const request = { method: 'POST' as const, path: '/x', token: 't', body: {}, idempotencyKey: 'held' };
      expect((await client.send(request)).baseUrl).toBe(processes[0].url);
      setTimeout(() => (processes[2].serving = true), 300);
      const started = Date.now();
      expect((await client.send(request)).baseUrl).toBe(processes[2].url);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      processes[1].serving = true;
      processes[2].serving = true;
    }
  });

  it('avoids a process that is not serving', async () => {
    processes[2].serving = false;
    try {
      const client = new RoutingClient(processes, new SeededRandom(2));
      for (let i = 0; i < 20; i++) expect((await client.send({ method: 'GET', path: '/x', token: 't' })).baseUrl).not.toBe(processes[2].url);
    } finally {
      processes[2].serving = true;
    }
  });
});
