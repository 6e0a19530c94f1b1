import { afterEach, describe, expect, it } from '@jest/globals';
import { StateConflict } from '#launch';
import { SqliteLeaseStore } from '#leases';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { from, lastValueFrom } from 'rxjs';
import { openAccessDatabase, SqliteIdempotencyStore } from '../infrastructure/sqlite-access-store.js';
import { ServiceUnavailable } from './errors.js';
import { IdempotencyClaims } from './idempotency-claims.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { ProblemException } from './problem.js';

/** A request handler that settles when the test says so, and records that it ran. */
function pendingHandler() {
  let settle!: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
  const result = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
  const handler = {
    ran: false,
    handle: () => {
      handler.ran = true;
      return from(result);
    },
  };
  return { handler: handler as CallHandler & { ran: boolean }, ...settle };
}

const request = { method: 'POST', url: '/v1/launches/l/tasks/t/unblock', body: {}, headers: { 'idempotency-key': 'key-1' }, principal: { id: 'p-1' } };
const context = { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;

describe('Idempotency-Key claims across processes on one DATA_DIR', () => {
  const dirs: string[] = [];
  const closers: Array<() => void> = [];
  afterEach(() => {
    for (const close of closers.splice(0)) close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** One "process": its own connections to the shared access and leases files. */
  function processOn(dir: string, owner: string): IdempotencyInterceptor {
    const db = openAccessDatabase(join(dir, 'access.sqlite'));
    const leases = new SqliteLeaseStore(join(dir, 'leases.sqlite'));
    closers.push(
      () => db.close(),
      () => void leases.close(),
    );
    return new IdempotencyInterceptor(new SqliteIdempotencyStore(db), { store: leases, owner, ttlMs: 10_000 });
  }

  function twoProcesses() {
    const dir = mkdtempSync(join(tmpdir(), 'launch-control-claims-'));
    dirs.push(dir);
    return [processOn(dir, 'host-a:1:a'), processOn(dir, 'host-b:2:b')] as const;
  }

  it('a second try that arrives while the first is being refused waits, and gets the same refusal, undecided', async () => {
    const [a, b] = twoProcesses();
    const first = pendingHandler();
    const second = pendingHandler();
    const firstAnswer = lastValueFrom(a.intercept(context, first.handler)).catch((error: unknown) => error);
    while (!first.handler.ran) await sleep(1);
    const secondAnswer = lastValueFrom(b.intercept(context, second.handler)).catch((error: unknown) => error);
    await sleep(100);
    expect(second.handler.ran).toBe(false);

    first.reject(new StateConflict('the task is open, not blocked'));
    second.resolve({ revision: 6 }); // what it would answer if it were decided on a newer state

    expect(await firstAnswer).toBeInstanceOf(StateConflict);
    const replay = await secondAnswer;
    expect(replay).toBeInstanceOf(ProblemException);
    expect((replay as ProblemException).problem).toMatchObject({ status: 409, detail: 'the task is open, not blocked' });
    expect((replay as ProblemException).headers['Idempotent-Replayed']).toBe('true');
    expect(second.handler.ran).toBe(false);
  });

  it('a second try that arrives while the first is being accepted is decided only after it (and so finds its events)', async () => {
    const [a, b] = twoProcesses();
    const first = pendingHandler();
    const second = pendingHandler();
    const firstAnswer = lastValueFrom(a.intercept(context, first.handler));
    while (!first.handler.ran) await sleep(1);
    const secondAnswer = lastValueFrom(b.intercept(context, second.handler));
    await sleep(100);
    expect(second.handler.ran).toBe(false);

    first.resolve({ revision: 6 });
    await expect(firstAnswer).resolves.toEqual({ revision: 6 });
    while (!second.handler.ran) await sleep(1);
    second.resolve({ revision: 6, replayed: true });
    await expect(secondAnswer).resolves.toEqual({ revision: 6, replayed: true });
  });

  it('a key whose holder is stalled answers 503 to the second try after the wait, and is free once released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'launch-control-claims-'));
    dirs.push(dir);
    const store = new SqliteLeaseStore(join(dir, 'leases.sqlite'));
    closers.push(() => void store.close());
    const claims = new IdempotencyClaims({ store, owner: 'host-a:1:a' }, { ttlMs: 10_000, pollMs: 5, maxWaitMs: 150 });
    const held = await claims.claim('p-1', 'key-1');

    await expect(claims.claim('p-1', 'key-1')).rejects.toBeInstanceOf(ServiceUnavailable);
    const other = await claims.claim('p-1', 'key-2');
    await other.release();
    await held.release();
    await (await claims.claim('p-1', 'key-1')).release();
  });

  it('a key held by a process that is gone from this host is taken at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'launch-control-claims-'));
    dirs.push(dir);
    const store = new SqliteLeaseStore(join(dir, 'leases.sqlite'));
    closers.push(() => void store.close());
    const gonePid = 2 ** 22 + 7; // above Linux's pid_max: no such process
    expect(await store.acquire('idempotency-key:p-1\nkey-1', `${hostname()}:${gonePid}:x:y`, 60_000)).toBe(true);
    const claims = new IdempotencyClaims({ store, owner: `${hostname()}:${process.pid}:a` }, { ttlMs: 10_000, pollMs: 5, maxWaitMs: 100 });

    await (await claims.claim('p-1', 'key-1')).release();
  });
});
