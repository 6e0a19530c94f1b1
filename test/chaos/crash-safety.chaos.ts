import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosClient } from './chaos-client.js';
import { createPrincipals, headOf } from './harness-setup.js';
import { SeededRandom } from './seeded-random.js';
import { API_BUILD, createApiProcess } from '../support/api-process.js';
import { checkDataDir, summarize, type Check } from './store-invariants.js';
import { Workload } from './workload.js';

const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS = Number(process.env.CHAOS_KILLS ?? 25);
const WORKERS = Number(process.env.CHAOS_WORKERS ?? 8);
/** The whole run stops killing after this long, whatever KILLS says, so CI time stays bounded. */
const BUDGET_MS = Number(process.env.CHAOS_BUDGET_MS ?? 170_000);
const ADMIN_TOKEN = `lc_chaos-admin-${SEED}-0123456789abcdefghijklmnopqrstuvwxyz`;

/**
 * Crash safety of the real server: concurrent commands while the process is SIGKILLed at random
 * moments and restarted, then the store and the views are checked with the library code.
 * Replay a run with CHAOS_SEED=<seed> (timings still vary: the kills land where they land).
 */
describe('crash safety: SIGKILL at random moments under concurrent commands', () => {
  it(`keeps every acknowledged command, once, in order, chained, with views equal to a rebuild (seed ${SEED})`, async () => {
    expect(existsSync(API_BUILD)).toBe(true); // `npm run test:chaos` builds first
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-chaos-'));
    const server = await createApiProcess({
      script: API_BUILD,
      env: { DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0' },
      logFile: join(dataDir, 'server.log'),
      startTimeoutMs: 30_000,
    });
    const client = new ChaosClient(() => server.url);
    const random = new SeededRandom(SEED);
    const started = Date.now();
    log(`seed ${SEED}: ${KILLS} kills, ${WORKERS} workers, data in ${dataDir}`);
    let checks: Check[] = [];
    let workload: Workload | undefined;
    let kills = 0;
    try {
      await server.start();
      workload = new Workload(client, random, await createPrincipals(client, ADMIN_TOKEN));

      while (kills < KILLS && Date.now() - started < BUDGET_MS) {
        let running = true;
        const workers = Array.from({ length: WORKERS }, async () => {
          while (running) await workload!.step();
        });
        await sleep(random.int(100, 800));
        const killed = server.kill(); // the signal is sent now, with requests in flight
        running = false;
        await killed;
        kills += 1;
        await Promise.all(workers);
        await server.start();
      }

      // After the last restart: every keyed command whose answer was cut is retried once more.
      await workload.retryLost();
      await server.stop();
      // Let the projections catch up with the whole log, then stop cleanly and look at the files.
      const head = await headOf(dataDir);
      await server.start();
      const caughtUp = await client.send({ method: 'GET', path: `/v1/launches?minPosition=${head}`, token: ADMIN_TOKEN });
      expect(caughtUp.status).toBe(200);
      await server.stop();
      checks = await checkDataDir(dataDir, workload.acknowledged);
      checks.push({ name: 'no answer broke the contract (5xx, idempotent replay that differs)', failures: workload.violations });
      checks.push({ name: `the server was killed at least 20 times (${kills})`, failures: kills >= 20 ? [] : [`only ${kills} kills within the time budget`] });
      checks.push({
        name: 'the admin token never reached the log',
        failures: readFileSync(join(dataDir, 'server.log'), 'utf8').includes(ADMIN_TOKEN) ? ['the log contains the admin token'] : [],
      });
    } finally {
      await server.close();
      const failed = checks.filter((c) => c.failures.length > 0).length;
      log(
        [
          `seed ${SEED}: ${kills} kills, ${server.starts} starts, ${((Date.now() - started) / 1000).toFixed(1)} s`,
          workload && `commands: ${JSON.stringify(workload.counts)}, ${workload.keyedCount} with an Idempotency-Key`,
          summarize(checks),
          `${checks.length - failed} passed, ${failed} failed`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
      if (failed === 0 && checks.length > 0) rmSync(dataDir, { recursive: true, force: true });
      else log(`data and server log kept in ${dataDir}`);
    }
    expect(checks.filter((c) => c.failures.length > 0)).toEqual([]);
  });
});

function log(message: string): void {
  process.stdout.write(`[chaos] ${message}\n`);
}
