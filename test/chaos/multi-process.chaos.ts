import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore, type RecordedEvent } from '#event-store';
import { startReceiver, type Receiver } from '../../apps/api/src/webhooks/test/loopback-receiver.js';
import { createPrincipals, headOf } from './harness-setup.js';
import { RoutingClient } from './routing-client.js';
import { SeededRandom } from './seeded-random.js';
import { API_BUILD, createApiProcess, type ApiProcess } from '../support/api-process.js';
import { checkDataDir, summarize, type Check } from './store-invariants.js';
import { checkWebhookDeliveries, type DeliveryAttempt } from './webhook-invariants.js';
import { Workload } from './workload.js';

const SEED = Number(process.env.CHAOS_MP_SEED ?? process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const PROCESSES = Number(process.env.CHAOS_MP_PROCESSES ?? 4);
const KILLS = Number(process.env.CHAOS_MP_KILLS ?? 30);
const WORKERS = Number(process.env.CHAOS_MP_WORKERS ?? 6);
/** Killing stops after this long, whatever KILLS says, so CI time stays bounded… */
const BUDGET_MS = Number(process.env.CHAOS_MP_BUDGET_MS ?? 120_000);
/** …except that a slow machine (restarts take longer under load) gets up to this much more to reach the 20 kills required. */
const REQUIRED_KILLS = 20;
const GRACE_MS = 60_000;
/** Chance that a new keyed command is sent through two processes at once. */
const TWIN_CHANCE = Number(process.env.CHAOS_MP_TWINS ?? 0.15);
const ADMIN_TOKEN = `lc_chaos-mp-admin-${SEED}-0123456789abcdefghijklmnopqrstuvwxyz`;
const ATTEMPTS_KEPT = 1000;
const WEBHOOK_SECRET = 'whsec-chaos-0123456789abcdef';

/**
 * Several API processes on one DATA_DIR, SIGKILLed one at a time at random moments and restarted,
 * under clients whose keyed retries always go through another process than the previous try; a
 * loopback webhook receiver records every delivery. Then the files, the answers and the deliveries
 * are checked. Replay the workload with CHAOS_MP_SEED=<seed> (the kills land where they land).
 */
describe('crash safety with several API processes on one DATA_DIR', () => {
  it(
    `keeps every acknowledged command once, answers each key alike everywhere, chains, views and webhooks intact (seed ${SEED})`,
    async () => {
      expect(existsSync(API_BUILD)).toBe(true); // `npm run test:chaos` builds first
      const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-chaos-mp-'));
      const receiverRandom = new SeededRandom(SEED ^ 0x2545f491);
      // Now and then the receiver refuses, so deliveries are retried (and logged as failed attempts).
      const receiver: Receiver = await startReceiver(() => (receiverRandom.chance(0.03) ? 503 : 204));
      const env = {
        DATA_DIR: dataDir,
        ADMIN_TOKEN,
        RATE_LIMIT: '0',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_MIN_MS: '20',
        WEBHOOK_RETRY_MAX_MS: '500',
        WEBHOOK_TIMEOUT_MS: '2000',
      };
      const processes: ApiProcess[] = [];
      for (let i = 0; i < PROCESSES; i++)
        processes.push(await createApiProcess({ script: API_BUILD, env, logFile: join(dataDir, `server-${i}.log`), startTimeoutMs: 30_000 }));
      const random = new SeededRandom(SEED);
      const client = new RoutingClient(processes, new SeededRandom(SEED ^ 0x5bd1e995));
      const started = Date.now();
      log(`seed ${SEED}: ${PROCESSES} processes, ${KILLS} kills, ${WORKERS} workers, data in ${dataDir}`);
      const checks: Check[] = [];
      const restartFailures: string[] = [];
      const restartMs: number[] = [];
      let workload: Workload | undefined;
      let kills = 0;
      try {
        // All at once with one ADMIN_TOKEN (the first start's race); one that fails is recorded and started again.
        const firstStarts = await Promise.allSettled(processes.map((p) => p.start()));
        const startFailures = firstStarts.flatMap((r, i) =>
          r.status === 'rejected' ? [`${processes[i].url}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : [],
        );
        checks.push({ name: `${PROCESSES} processes started at once on an empty DATA_DIR all came up`, failures: startFailures });
        for (const [i, r] of firstStarts.entries()) if (r.status === 'rejected') await restart(processes[i], restartFailures);
        const webhook = await registerWebhook(client, processes[0], receiver.url);
        workload = new Workload(client, random, await createPrincipals(client, ADMIN_TOKEN), { twinChance: TWIN_CHANCE, retryEachKeyed: true });

        let running = true;
        const workers = Array.from({ length: WORKERS }, async () => {
          while (running) await workload!.step();
        });
        // A killed process restarts in the background while the others serve and the next kill comes.
        // Two processes always serve (one when there are only two), so a keyed repeat has somewhere else to go.
        const restarts = new Set<Promise<void>>();
        try {
          const killing = () => Date.now() - started < BUDGET_MS || (kills < REQUIRED_KILLS && Date.now() - started < BUDGET_MS + GRACE_MS);
          while (kills < KILLS && killing()) {
            await sleep(random.int(100, 700));
            const serving = processes.filter((p) => p.serving);
            if (serving.length <= Math.min(2, PROCESSES - 1)) continue;
            const victim = random.pick(serving);
            await victim.kill(); // requests in flight on it are cut
            kills += 1;
            const restarted: Promise<void> = restart(victim, restartFailures, restartMs).finally(() => restarts.delete(restarted));
            restarts.add(restarted);
          }
        } finally {
          await Promise.allSettled([...restarts]);
          running = false;
          await Promise.all(workers);
        }

        // Every keyed command whose answers were all cut is sent once more, through another process.
        await workload.retryLost();
        await Promise.all(processes.map((p) => p.stop()));
        // One process alone catches the views and the webhook up with the whole log.
        const head = await headOf(dataDir);
        const solo = processes[0];
        await solo.start();
        const caughtUp = await client.send({ method: 'GET', path: `/v1/launches?minPosition=${head}`, token: ADMIN_TOKEN }, 30_000, solo.url);
        expect(caughtUp.status).toBe(200);
        const delivered = await waitForWebhook(client, solo, webhook.id, head);
        const attempts = await client.send(
          { method: 'GET', path: `/v1/webhooks/${webhook.id}/deliveries?limit=${ATTEMPTS_KEPT}`, token: ADMIN_TOKEN },
          10_000,
          solo.url,
        );
        await solo.stop();

        checks.push(...(await checkDataDir(dataDir, workload.acknowledged)));
        checks.push(
          ...checkWebhookDeliveries({
            stored: await readAll(dataDir),
            fromPosition: webhook.position,
            received: receiver.received,
            attempts: Array.isArray(attempts.answer) ? (attempts.answer as DeliveryAttempt[]) : [],
            attemptsTruncated: Array.isArray(attempts.answer) && attempts.answer.length >= ATTEMPTS_KEPT,
          }),
        );
        checks.push({
          name: 'the webhook caught up with the log',
          failures: delivered >= head ? [] : [`its checkpoint stayed at ${delivered}, the log ends at ${head}`],
        });
        checks.push({ name: 'no answer broke the contract (5xx, an Idempotency-Key answered differently by two tries)', failures: workload.violations });
        checks.push({
          name: `processes were killed at least ${REQUIRED_KILLS} times (${kills})`,
          failures: kills >= REQUIRED_KILLS ? [] : [`only ${kills} kills within the time budget`],
        });
        checks.push({ name: 'every killed process came back', failures: restartFailures });
        const leaked = processes.map((_, i) => `server-${i}.log`).filter((file) => readFileSync(join(dataDir, file), 'utf8').includes(ADMIN_TOKEN));
        checks.push({ name: 'the admin token never reached a log', failures: leaked.map((file) => `${file} contains the admin token`) });
      } finally {
        await Promise.all(processes.map((p) => p.close()));
        await receiver.close();
        const failed = checks.filter((c) => c.failures.length > 0).length;
        log(
          [
            `seed ${SEED}: ${kills} kills, ${processes.map((p) => p.starts).join('+')} starts, ${((Date.now() - started) / 1000).toFixed(1)} s`,
            workload &&
              `commands: ${JSON.stringify(workload.counts)}, ${workload.keyedCount} with an Idempotency-Key, ${client.counts.keyedRepeatsElsewhere} keyed repeats through another process`,
            `webhook: ${receiver.received.length} requests received; restarts took ${restartMs.length ? `${Math.round(restartMs.reduce((x, y) => x + y, 0) / restartMs.length)} ms on average, ${Math.max(...restartMs)} ms at most` : 'nothing'}`,
            summarize(checks),
            `${checks.length - failed} passed, ${failed} failed`,
          ]
            .filter(Boolean)
            .join('\n'),
        );
        if (failed === 0 && checks.length > 0) rmSync(dataDir, { recursive: true, force: true });
        else log(`data and server logs kept in ${dataDir}`);
      }
      // The details are in the summary above.
      expect(checks.filter((c) => c.failures.length > 0).map((c) => c.name)).toEqual([]);
    },
    BUDGET_MS + GRACE_MS + 240_000,
  );
});

/** Starts a killed process again (three tries); a failure is recorded, not thrown, and the process stays down. */
async function restart(server: ApiProcess, failures: string[], durations: number[] = []): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const started = Date.now();
      await server.start();
      durations.push(Date.now() - started);
      return;
    } catch (error) {
      failures.push(`start ${server.starts} of ${server.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      await server.kill();
    }
  }
}

async function registerWebhook(client: RoutingClient, server: ApiProcess, url: string): Promise<{ id: string; position: number }> {
  const created = await client.send({ method: 'POST', path: '/v1/webhooks', token: ADMIN_TOKEN, body: { url, secret: WEBHOOK_SECRET } }, 10_000, server.url);
  if (created.status !== 201) throw new Error(`could not register the webhook: ${created.status} ${JSON.stringify(created.answer)}`);
  return created.answer as { id: string; position: number };
}

/** Waits (up to 60 s) until the webhook's checkpoint reaches `head`; answers the checkpoint reached. */
async function waitForWebhook(client: RoutingClient, server: ApiProcess, webhookId: string, head: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  let position = -1;
  while (Date.now() < deadline) {
    const answer = await client.send({ method: 'GET', path: `/v1/webhooks/${webhookId}`, token: ADMIN_TOKEN }, 10_000, server.url);
    position = (answer.answer as { position?: number } | undefined)?.position ?? position;
    if (position >= head) return position;
    await sleep(200);
  }
  return position;
}

async function readAll(dataDir: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
  try {
    const all: RecordedEvent[] = [];
    for await (const event of store.readAll()) all.push(event);
    return all;
  } finally {
    await store.close();
  }
}

function log(message: string): void {
  process.stdout.write(`[chaos-mp] ${message}\n`);
}
