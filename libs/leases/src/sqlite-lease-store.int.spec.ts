import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SqliteLeaseStore } from './sqlite-lease-store.js';

const run = promisify(execFile);

/** A process of its own that tries to take (or renew) one lease `attempts` times as fast as it can, printing how often it held it. */
function contender(file: string, owner: string, attempts: number, ttlMs: number): Promise<{ owner: string; held: number }> {
  const loader = process.env.TYPESCRIPT_WORKER_LOADER!;
  const entry = new URL('./sqlite-lease-store.ts', import.meta.url).href;
  const script = `
    const { register } = await import('node:module');
    register(${JSON.stringify(loader)});
    const { SqliteLeaseStore } = await import(${JSON.stringify(entry)});
    const store = new SqliteLeaseStore(${JSON.stringify(file)});
    let held = 0;
    for (let i = 0; i < ${attempts}; i++) if (await store.acquire('dispatch', ${JSON.stringify(owner)}, ${ttlMs})) held++;
    await store.close();
    console.log(JSON.stringify({ owner: ${JSON.stringify(owner)}, held }));`;
  return run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!));
}

describe('SqliteLeaseStore: leases shared by the processes on one DATA_DIR', () => {
  const dirs: string[] = [];
  const stores: SqliteLeaseStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'leases-'));
    dirs.push(dir);
    let now = 1_000_000;
    const open = () => {
      const store = new SqliteLeaseStore(join(dir, 'leases.sqlite'), () => now);
      stores.push(store);
      return store;
    };
    return { file: join(dir, 'leases.sqlite'), a: open(), b: open(), advance: (ms: number) => (now += ms) };
  }

  it('gives a free lease to the first taker only; the holder renews it, the other is refused until it expires', async () => {
    const { a, b, advance } = setup();
    expect(await a.acquire('projector', 'A', 1000)).toBe(true);
    expect(await b.acquire('projector', 'B', 1000)).toBe(false);
    advance(900);
    expect(await a.acquire('projector', 'A', 1000)).toBe(true); // renewed: now runs until +1900
    advance(900);
    expect(await b.acquire('projector', 'B', 1000)).toBe(false);
    expect(await b.holder('projector')).toEqual({ owner: 'A', expiresAt: 1_001_900 });
    advance(100);
    expect(await b.holder('projector')).toBeNull(); // expired: nobody holds it
    expect(await b.acquire('projector', 'B', 1000)).toBe(true);
    expect(await a.acquire('projector', 'A', 1000)).toBe(false); // the old holder learns it lost it
    expect((await a.holder('projector'))?.owner).toBe('B');
  });

  it('keeps leases of different names apart', async () => {
    const { a, b } = setup();
    expect(await a.acquire('projector', 'A', 1000)).toBe(true);
    expect(await b.acquire('webhook-dispatch', 'B', 1000)).toBe(true);
    expect(await a.acquire('webhook-dispatch', 'A', 1000)).toBe(false);
  });

  it('release frees the lease at once, but only for its holder', async () => {
    const { a, b } = setup();
    await a.acquire('rebuild', 'A', 60_000);
    await b.release('rebuild', 'B'); // not B's: nothing happens
    expect(await b.acquire('rebuild', 'B', 60_000)).toBe(false);
    await a.release('rebuild', 'A');
    expect(await a.holder('rebuild')).toBeNull();
    expect(await b.acquire('rebuild', 'B', 60_000)).toBe(true);
  });

  it('survives a restart of the file: a lease is kept in the file, not in the process', async () => {
    const { a, file } = setup();
    await a.acquire('projector', 'A', 60_000);
    await a.close();
    const reopened = new SqliteLeaseStore(file, () => 1_000_000);
    stores.push(reopened);
    expect(await reopened.acquire('projector', 'B', 60_000)).toBe(false);
  });

  it('takes a lease from an owner process on this host that is gone (a crash), at once; never from one alive', async () => {
    const { file } = setup();
    const store = new SqliteLeaseStore(file);
    stores.push(store);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 60000)']);
    try {
      const alive = `${hostname()}:${sleeper.pid}:aaaa`;
      expect(await store.acquire('projector', alive, 60_000)).toBe(true);
      expect(await store.acquire('projector', `${hostname()}:${process.pid}:bbbb`, 60_000)).toBe(false);
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.once('exit', resolve));
      expect(await store.acquire('projector', `${hostname()}:${process.pid}:bbbb`, 60_000)).toBe(true);
      expect(await store.acquire('projector', `${hostname()}:${process.pid}:cccc`, 60_000)).toBe(false); // the new owner is alive
      expect(await store.acquire('other', `elsewhere:${sleeper.pid}:dddd`, 60_000)).toBe(true);
      expect(await store.acquire('other', `${hostname()}:${process.pid}:eeee`, 60_000)).toBe(false); // another host's pid says nothing here
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('four processes contending at once: exactly one ever holds the lease, on every one of its attempts', async () => {
    const { file } = setup();
    const attempts = 300;
    const results = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((owner) => contender(file, owner, attempts, 60_000)));
    const holders = results.filter((r) => r.held > 0);
    expect(holders).toHaveLength(1);
    expect(holders[0]!.held).toBe(attempts);
    const reader = new SqliteLeaseStore(file);
    stores.push(reader);
    expect((await reader.holder('dispatch'))?.owner).toBe(holders[0]!.owner);
  });
});
