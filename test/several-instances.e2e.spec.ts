import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive, createApiProcess, type ApiProcess } from './support/api-process.js';

const TOKEN = 'lc_several-instances-0123456789abcdefghijklmnop';
const SERVING = /Launch Control is serving[^\n]*\n(?:[^\n]*\n){3}[^\n]*admin token[^\n]*/;

describe('several API processes on one DATA_DIR', () => {
  const processes: ApiProcess[] = [];
  const dirs: string[] = [];
  /** An API process from the sources on its own port; start() waits for the banner `npm start` prints once serving. */
  const apiProcess = async (env: Record<string, string>) => {
    const api = await createApiProcess({ env: { RATE_LIMIT: '0', ...env }, ready: SERVING, startTimeoutMs: 90_000 });
    processes.push(api);
    return api;
  };
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'several-instances-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  const get = async (port: number, path: string, token?: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('WORKERS=2: two workers serve one port, the first start generates one token, a SIGKILLed worker is restarted, SIGTERM stops all', async () => {
    const dataDir = freshDir();
    const api = await apiProcess({ DATA_DIR: dataDir, WORKERS: '2' });
    await api.start();
    const { port } = api;

    const banner = api.output.match(SERVING)![0];
    const workers = [...api.output.matchAll(/\[cluster\] worker (\d) \(pid (\d+)\) serving/g)].map((m) => ({ slot: m[1], pid: Number(m[2]) }));
    expect(workers.map((w) => w.slot).sort()).toEqual(['1', '2']);
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2);

    // Both workers raced for the first admin: one token, printed once, written once (0600).
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    expect(api.output.match(/Bootstrap admin token/g)).toHaveLength(1);
    expect(api.output.split(token).length - 1).toBe(1);
    expect(banner).toContain(`http://127.0.0.1:${port}/docs`);
    expect(banner).toContain(`admin token  in ${join(dataDir, 'admin-token')}`);
    expect(banner).not.toContain(token);
    const principals = await get(port, '/v1/principals', token);
    expect(principals.status).toBe(200);
    expect(principals.body).toEqual([expect.objectContaining({ role: 'admin' })]);

    for (let i = 0; i < 20; i++) expect((await get(port, '/health/live')).status).toBe(200);

    // One worker dies: the other keeps serving while the primary starts a new one in its slot.
    const victim = workers[0]!;
    const before = api.output.length;
    process.kill(victim.pid, 'SIGKILL');
    await api.waitFor(new RegExp(`worker ${victim.slot} \\(pid ${victim.pid}\\) exited \\(SIGKILL\\); restarting it`), 10_000, before);
    for (let i = 0; i < 20; i++) expect((await get(port, '/health/live')).status).toBe(200);
    const restarted = await api.waitFor(new RegExp(`worker ${victim.slot} \\(pid (\\d+)\\) serving`), 90_000, before);
    expect(Number(restarted[1])).not.toBe(victim.pid);
    for (let i = 0; i < 20; i++) expect((await get(port, '/health/live')).status).toBe(200);
    expect((await get(port, '/v1/me', token)).status).toBe(200);

    // A clean stop: the primary asks the workers to close their stores, then exits 0.
    const pids = [...api.output.matchAll(/\[cluster\] worker \d \(pid (\d+)\) serving/g)].map((m) => Number(m[1])).filter(alive);
    expect(pids).toHaveLength(2);
    expect(await api.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
    expect(pids.filter(alive)).toEqual([]);
  }, 240_000);

  it('two `npm start`s on different PORTs with one ADMIN_TOKEN both come up, with exactly one admin', async () => {
    const dataDir = freshDir();
    const apis = [await apiProcess({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN }), await apiProcess({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN })];
    await Promise.all(apis.map((api) => api.start()));
    apis.forEach((api) => expect(api.output.match(SERVING)![0]).toContain('admin token  the ADMIN_TOKEN you set'));
    for (const { port } of apis) {
      const principals = await get(port, '/v1/principals', TOKEN);
      expect(principals.status).toBe(200);
      expect(principals.body).toEqual([expect.objectContaining({ role: 'admin' })]);
    }
    expect(apis.map((api) => api.output).join('')).not.toContain(TOKEN);
  }, 240_000);

  it('an ADMIN_TOKEN shorter than 32 characters refuses the start: exit 1, one clear line, no stack trace', async () => {
    const api = await apiProcess({ DATA_DIR: freshDir(), ADMIN_TOKEN: 'admin' });
    await expect(api.start()).rejects.toThrow(/exited during start \(code 1, signal null\)/);
    expect(await api.exit()).toEqual({ code: 1, signal: null });
    expect(api.output).toMatch(/^Launch Control cannot start: ADMIN_TOKEN must be at least 32 characters long/m);
    expect(api.output).not.toMatch(/^\s+at /m);
  }, 60_000);

  it('WORKERS that is not a whole number refuses the start', async () => {
    const api = await apiProcess({ DATA_DIR: freshDir(), WORKERS: 'many' });
    await expect(api.start()).rejects.toThrow(/exited during start \(code 1, signal null\)/);
    expect(await api.exit()).toEqual({ code: 1, signal: null });
    expect(api.output).toMatch(/^Launch Control cannot start: WORKERS must be a whole number/m);
  }, 60_000);
});
