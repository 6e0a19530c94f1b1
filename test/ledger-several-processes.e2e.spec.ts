import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '#event-store';
import { LEASES_FILE, SqliteLeaseStore } from '#leases';
import { LEDGER_LEASE } from '#platform';
import { main as audit } from '../apps/cli/src/audit.js';
import { startReceiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { freePort, startApiProcess, type ApiProcess } from './support/api-process.js';

const TOKEN = 'lc_ledger-several-processes-0123456789abcdefghijk';
const SERVING = /Launch Control is serving/;

/** WORKERS=2 on one DATA_DIR, one of them SIGKILLed while commands flow: one key, one tree, a clean check. */
describe('the ledger with several API processes on one DATA_DIR', () => {
  const base = mkdtempSync(join(tmpdir(), 'ledger-workers-'));
  const dataDir = join(base, 'data');
  const keyFile = join(base, 'keys', 'ledger.pem');
  let api: ApiProcess | undefined;
  afterAll(async () => {
    await api?.stop('SIGKILL');
    rmSync(base, { recursive: true, force: true });
  });

  const call = async (port: number, method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const code = await audit(args, { out: (l) => out.push(l), err: (l) => out.push(l), env: { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile } });
    return { code, out: out.join('\n') };
  };

  it('generates the key once, extends one tree from both workers without divergence, and checks clean against an early receipt', async () => {
    api = await startApiProcess({
      env: { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile, ADMIN_TOKEN: TOKEN, RATE_LIMIT: '0', WORKERS: '2', LEASE_TTL_MS: '1500' },
      ready: SERVING,
      startTimeoutMs: 90_000,
    });
    const { port } = api;
    expect(api.output.match(/Ledger key generated at/g)).toHaveLength(1);

    const launch = () => call(port, 'POST', '/v1/launches', { name: 'Busy', product: 'B', targetDate: '2030-06-01', tier: 3 });
    expect((await launch()).status).toBe(201);
    let receipt: Record<string, any> | undefined;
    for (const deadline = Date.now() + 10_000; !receipt && Date.now() < deadline; await sleep(100)) {
      const head = await call(port, 'GET', '/v1/ledger/head');
      if (head.status === 200 && head.body.treeSize > 0) receipt = head.body;
    }
    writeFileSync(join(base, 'receipt.json'), JSON.stringify(receipt));

    const workers = [...api.output.matchAll(/\[cluster\] worker \d \(pid (\d+)\) serving/g)].map((m) => Number(m[1]));
    let created = 1;
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.allSettled(Array.from({ length: 8 }, launch));
      if (round === 2) process.kill(workers[0]!, 'SIGKILL'); // mid-flight: the other worker (and the restarted one) carry on
      const accepted = answers.filter((a) => a.status === 'fulfilled' && a.value.status === 201).length;
      expect(accepted).toBeGreaterThan(0);
      created += accepted;
    }
    // One launch is one event. If the killed worker held the ledger lease, the tree is extended again once
    // another takes it over (within LEASE_TTL_MS), then signed within a second: wait for the head covering them all.
    let signed = 0;
    for (const deadline = Date.now() + 1500 + 10_000; signed < created && Date.now() < deadline; await sleep(100)) {
      const head = await call(port, 'GET', '/v1/ledger/head');
      if (head.status === 200) signed = head.body.treeSize as number;
    }
    expect(signed).toBeGreaterThanOrEqual(created);
    await api.stop('SIGTERM');
    api = undefined;

    const check = await cli('check', join(base, 'receipt.json'));
    expect(check.out).toMatch(/^OK: the log extends the receipt/);
    expect(check.code).toBe(0);
    const head = JSON.parse((await cli('receipt')).out);
    const verify = await cli('verify', '--all');
    expect(verify.code).toBe(0);
    expect(head.treeSize).toBeGreaterThan(receipt!.treeSize);
  }, 180_000);
});

/**
 * Two API processes on one DATA_DIR: exactly one holds the `ledger` lease and extends and signs;
 * the other serves heads and proofs from the shared ledger store; SIGKILLed, the keeper's lease is
 * taken over (at once: its process is gone from this host, at worst within LEASE_TTL_MS).
 */
describe('the ledger keeper under its lease, with two API processes on one DATA_DIR', () => {
  const base = mkdtempSync(join(tmpdir(), 'ledger-lease-'));
  const dataDir = join(base, 'data');
  const keyFile = join(base, 'keys', 'ledger.pem');
  const processes: ApiProcess[] = [];
  const closing: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const api of processes) await api.stop('SIGKILL');
    for (const close of closing) await close();
    rmSync(base, { recursive: true, force: true });
  });

  const call = async (port: number, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const launch = (port: number) => call(port, '/v1/launches', { name: 'Leased', product: 'L', targetDate: '2030-06-01', tier: 3 });
  const eventsInLog = async () => {
    const events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), reader: true });
    try {
      let count = 0;
      for await (const _ of events.readAll()) count++;
      return count;
    } finally {
      await events.close();
    }
  };
  const ledgerHolder = async () => {
    const leases = new SqliteLeaseStore(join(dataDir, LEASES_FILE));
    try {
      return (await leases.holder(LEDGER_LEASE))?.owner;
    } finally {
      await leases.close();
    }
  };
  /** The head each port serves, once both cover the whole log. */
  const headsCovering = async (ports: number[], deadlineMs = 10_000) => {
    const size = await eventsInLog();
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const heads = await Promise.all(ports.map((port) => call(port, '/v1/ledger/head')));
      if (heads.every((h) => h.status === 200 && h.body.treeSize === size) || Date.now() > deadline) return { size, heads: heads.map((h) => h.body) };
      await sleep(100);
    }
  };

  it('one process keeps and signs, both serve the same heads and proofs, witnesses get each head once, and the survivor takes over after a SIGKILL', async () => {
    const ports = [await freePort(), await freePort()];
    const env = { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile, ADMIN_TOKEN: TOKEN, LEASE_TTL_MS: '1500', WEBHOOK_ALLOW_PRIVATE: 'true', RATE_LIMIT: '0' };
    processes.push(...(await Promise.all(ports.map((port) => startApiProcess({ port, env })))));
    const witness = await startReceiver();
    closing.push(() => witness.close());
    expect((await call(ports[0]!, '/v1/webhooks', { url: witness.url, secret: 'a-witness-secret-of-some-length', events: ['LedgerHeadSigned'] })).status).toBe(
      201,
    );
    /** Once the witness has the head of `size`: each head it got, by tree size, sent once (whichever process delivered it). */
    const witnessed = async (size: number) => {
      const sizes = () => witness.received.map((r) => (r.body.data as { treeSize: number }).treeSize);
      for (const deadline = Date.now() + 10_000; !sizes().includes(size) && Date.now() < deadline;) await sleep(50);
      await sleep(1200); // a second look by every process: nothing more arrives
      expect(sizes()).toContain(size);
      expect(new Set(witness.received.map((r) => r.body.eventId)).size).toBe(witness.received.length);
      expect(witness.received.every((r) => r.body.launchId === null)).toBe(true);
    };

    for (let round = 0; round < 3; round++) await Promise.all(ports.map(launch));
    const before = await headsCovering(ports);
    expect(before.heads[0]).toEqual(before.heads[1]);
    expect(before.heads[0]!.treeSize).toBe(before.size);
    const holder = await ledgerHolder();
    const keeperIndex = processes.findIndex((api) => holder?.includes(`:${api.pid}:`));
    expect(keeperIndex).toBeGreaterThanOrEqual(0);
    // Only the holder keeps now: the other gave up every lease it took (a handover under load is allowed, two keepers are not).
    const keepsNow = (api: ApiProcess) =>
      (api.output.match(/lease ledger: taken by/g)?.length ?? 0) - (api.output.match(/lease ledger: given up by/g)?.length ?? 0);
    expect(processes.map(keepsNow)).toEqual(processes.map((_, i) => (i === keeperIndex ? 1 : 0)));
    const otherIndex = 1 - keeperIndex;
    const proof = await call(ports[otherIndex]!, `/v1/ledger/proofs/inclusion?leafIndex=0&treeSize=${before.size}`);
    expect(proof.status).toBe(200);
    expect(proof.body.proof.length).toBeGreaterThan(0);
    writeFileSync(join(base, 'receipt.json'), JSON.stringify(before.heads[0]));
    await witnessed(before.size);

    await processes[keeperIndex]!.stop('SIGKILL');
    const survivor = ports[otherIndex]!;
    const killedAt = Date.now();
    for (let round = 0; round < 3; round++) expect((await launch(survivor)).status).toBe(201);
    const after = await headsCovering([survivor], 1500 + 3000);
    expect(after.heads[0]!.treeSize).toBe(after.size);
    expect(after.size).toBeGreaterThan(before.size);
    expect(Date.now() - killedAt).toBeLessThan(1500 + 3000); // within the lease's ttl, plus a head's second
    expect(await ledgerHolder()).toContain(`:${processes[otherIndex]!.pid}:`);
    await witnessed(after.size);

    await processes[otherIndex]!.stop('SIGTERM');
    const out: string[] = [];
    const code = await audit(['check', join(base, 'receipt.json')], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile },
    });
    expect(out.join('\n')).toMatch(/^OK: the log extends the receipt/);
    expect(code).toBe(0);
  }, 180_000);
});
