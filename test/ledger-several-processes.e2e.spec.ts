import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main as audit } from '../apps/cli/src/audit.js';
import { startApiProcess, type ApiProcess } from './support/api-process.js';

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
      env: { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile, ADMIN_TOKEN: TOKEN, RATE_LIMIT: '0', WORKERS: '2' },
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
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.allSettled(Array.from({ length: 8 }, launch));
      if (round === 2) process.kill(workers[0]!, 'SIGKILL'); // mid-flight: the other worker (and the restarted one) carry on
      expect(answers.some((a) => a.status === 'fulfilled' && a.value.status === 201)).toBe(true);
    }
    await sleep(1500); // a head is signed within a second of the last append
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
