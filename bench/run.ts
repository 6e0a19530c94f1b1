/**
 * `npm run bench`: the performance figures of the embedded default, measured on this machine.
 *
 *  1. Starts the real app (bench/server.js: createApp as main.ts does, plus a bench-only bare
 *     endpoint) on a temporary DATA_DIR with RATE_LIMIT=0, over launches seeded straight into the
 *     event store, and measures with autocannon, in one run and one server process:
 *       - a cold pass: the first completion on each launch (its stream folded from the store);
 *       - durable task completions (POST …/tasks/{id}/complete, each request a distinct open task,
 *         acknowledged after COMMIT + fsync) at 10 and 100 connections, every launch folded once;
 *       - the bare endpoint (same route shape, auth, validation, interceptor; appends nothing);
 *       - projection lag at half the measured durable rate: a probe completes a task, and as soon as
 *         the answer arrives asks GET /v1/launches/{id}?minPosition=<its position>, which answers
 *         once the views have processed it; lag = that answer's arrival − the command's answer's
 *         arrival (so it includes one GET round trip: an upper bound);
 *       - time travel: GET /v1/launches/{id}/readiness?atRevision=9999 on a launch of 10,000 events.
 *  2. Seeds 1,000,000 events into a fresh events.sqlite and, each in its own child process (so
 *     the peak RSS is its own), replays the whole log and rebuilds every read model from zero.
 *
 *  3. The same durable completions through `npm start`'s entry point with WORKERS=2 (BENCH_WORKERS),
 *     several processes on the same DATA_DIR, compared with the single process in the same run; and
 *     on two more stores seeded alike (one per setting), one process with LEDGER=off, on, on, off, off, on,
 *     for the ledger's cost (target: mean on ≥ 0.95 × mean off).
 *
 * Environment: BENCH_DURATION (seconds per load phase, default 10), BENCH_EVENTS (default
 * 1000000), BENCH_LAUNCHES / BENCH_TASKS_PER_LAUNCH (open tasks to complete, default 9000 × 25: every phase
 * takes its own, and 6000 × 25 ran out before the ledger's phases; more launches than the 10,000
 * folds a process caches would measure cache misses).
 * Progress goes to stderr; the table and one JSON line (prefixed `BENCH_RESULT `) to stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '#event-store';
import { ADMIN_TOKEN, BenchClient, CompletionPaths, loadPhase, measureLag, measureTimeTravel, round } from './bench-http.js';
import { historyLog, rebuildChild } from './run-history.js';
import { load, log } from './run-progress.js';
import { figures, report, type LoadFigures } from './run-report.js';
import { startBenchServer, type BenchServer } from './run-server.js';
import { seedLongLaunch, seedOpenTasks } from './seed.js';
import { startApiProcess } from '../test/support/api-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION = positive('BENCH_DURATION', 10);
const HISTORY_EVENTS = positive('BENCH_EVENTS', 1_000_000);
const LAUNCHES = positive('BENCH_LAUNCHES', 9000);
const TASKS_PER_LAUNCH = positive('BENCH_TASKS_PER_LAUNCH', 25);
const LONG_LAUNCH_EVENTS = 10_000;
const WORKERS = positive('BENCH_WORKERS', 2);

/** A DATA_DIR the entry-point phases run on: its open tasks and a launch manager's token (made at its first start). */
interface EntryPointStore {
  dir: string;
  /** A seeded launch, to ask the views whether they have caught up. */
  launchId: string;
  paths: CompletionPaths;
  token?: string;
}

async function seededStore(dir: string): Promise<EntryPointStore> {
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const open = await seedOpenTasks(store, LAUNCHES, TASKS_PER_LAUNCH).finally(() => store.close());
  log(`seeded ${dir}: ${LAUNCHES} launches × ${TASKS_PER_LAUNCH} open tasks`);
  return { dir, launchId: open.launchIds[0]!, paths: new CompletionPaths(open.launchIds, open.tasks, TASKS_PER_LAUNCH) };
}

async function launchManagerToken(url: string): Promise<string> {
  const body = JSON.stringify({ name: 'Bench launch manager', role: 'launch-manager' });
  const answer = await fetch(`${url}/v1/principals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  if (answer.status !== 201) throw new Error(`creating a principal: ${answer.status} ${await answer.text()}`);
  return String(((await answer.json()) as { token: unknown }).token);
}

async function storeHead(dir: string): Promise<number> {
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  return store.headPosition().finally(() => store.close());
}

/** Waits until the server's views have processed every event of the store in `dir`. */
async function projectionsCaughtUp(url: string, on: EntryPointStore): Promise<void> {
  const probe = new BenchClient();
  probe.port = Number(new URL(url).port);
  await probe.waitForPosition(on.launchId, await storeHead(on.dir), on.token!).finally(() => probe.destroy());
}

/** Waits until the server's signed tree head covers every event of the store in `dir` (the keeper has caught up). */
async function ledgerCaughtUp(url: string, dir: string): Promise<void> {
  const head = await storeHead(dir);
  const t = performance.now();
  for (;;) {
    const answer = await fetch(`${url}/v1/ledger/head`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const treeSize = answer.ok ? ((await answer.json()) as { treeSize: number }).treeSize : 0;
    if (treeSize >= head) {
      log(`  the ledger's tree covers the ${head} events (${Math.round(performance.now() - t)} ms after the cold pass)`);
      return;
    }
    if (performance.now() - t > 600_000) throw new Error(`the ledger's tree stayed at ${treeSize} of ${head} events`);
    await sleep(250);
  }
}

/** The mean throughput of same-setting runs (the other figures of the first, p99 the worst). */
function meanOf(runs: LoadFigures[]): LoadFigures {
  const perSecond = Math.round(runs.reduce((sum, run) => sum + run.perSecond, 0) / runs.length);
  return { ...runs[0]!, perSecond, p99: Math.max(...runs.map((run) => run.p99)), samples: runs.map((run) => run.perSecond) };
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'launch-control-bench-'));
  const dataDir = join(root, 'data');
  log(`temporary data in ${root}; ${DURATION} s per load phase`);
  const client = new BenchClient();
  let server: BenchServer | undefined;
  try {
    // --- seed the server's store before it starts --------------------------------------------
    let t = performance.now();
    const mainStore = await seededStore(dataDir);
    const seedStore = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    const long = await seedLongLaunch(seedStore, LONG_LAUNCH_EVENTS);
    const seededHead = await seedStore.headPosition();
    await seedStore.close();
    log(`seeded ${seededHead} events (with one launch of ${LONG_LAUNCH_EVENTS} events) in ${Math.round(performance.now() - t)} ms`);

    // --- start the server ---------------------------------------------------------------------
    const serverLog = join(root, 'server.log');
    server = await startBenchServer(here, dataDir, serverLog);
    client.port = server.port;
    const url = `http://127.0.0.1:${server.port}`;
    log(`server pid ${server.pid} on ${url}`);

    const token = await launchManagerToken(url);
    mainStore.token = token;

    t = performance.now();
    await client.waitForPosition(long.launchId, seededHead, token);
    log(`projections caught up with the seeded ${seededHead} events ${Math.round(performance.now() - t)} ms after start`);

    // --- the work: every request completes a distinct open task, launches interleaved ---------
    const { paths } = mainStore;
    const nextTask = () => paths.nextTask();
    const nextBare = () => paths.nextBare();
    /** `length`: seconds, or `{ amount }` requests. */
    const loadRun = (next: () => string, connections: number, length: number | { amount: number }, overallRate?: number, target = url) =>
      loadPhase(target, token, next, connections, length, overallRate);

    // The first command on a launch folds its stream from the store; later ones start from the
    // command runner's cached fold. The measured phases are the steady state of a launch week
    // (every launch already folded once); this first pass, one completion per launch, is the cold
    // case, and is reported as such.
    log('warm-up: bare 2 s');
    await loadRun(nextBare, 50, 2);
    log(`cold pass: the first completion on each of the ${LAUNCHES} launches, 10 connections`);
    const cold = figures(await loadRun(nextTask, 10, { amount: LAUNCHES }), 10);
    log(`  cold ${cold.perSecond}/s, p50 ${cold.p50} ms, p99 ${cold.p99} ms`);

    const durableRun = async (connections: number): Promise<LoadFigures> => {
      const before = await server!.commits();
      const run = figures(await loadRun(nextTask, connections, DURATION), connections);
      const transactions = (await server!.commits()) - before;
      // Each acknowledged completion is one append.
      return { ...run, appendsPerCommit: transactions > 0 ? round(run.ok / transactions, 1) : 0 };
    };
    const runs: Record<string, LoadFigures> = {};
    for (const connections of [10, 100]) {
      await sleep(500);
      log(`bare endpoint, ${connections} connections, ${DURATION} s`);
      runs[`bare${connections}`] = figures(await loadRun(nextBare, connections, DURATION), connections);
      await sleep(500);
      log(`durable completions, ${connections} connections, ${DURATION} s`);
      runs[`durable${connections}`] = await durableRun(connections);
      log(
        `  bare ${runs[`bare${connections}`]!.perSecond}/s, durable ${runs[`durable${connections}`]!.perSecond}/s, ${runs[`durable${connections}`]!.appendsPerCommit} commands per commit`,
      );
    }

    // --- projection lag at half the measured durable rate -------------------------------------
    const halfRate = Math.max(1, Math.floor(runs.durable100!.perSecond / 2));
    log(`projection lag at ${halfRate} completions/s (half of the durable rate at 100 connections), ${DURATION} s`);
    await sleep(500);
    const measuredLag = await measureLag(client, url, token, paths, halfRate, DURATION);
    const { achieved, samples, failures, p50, p99, max } = measuredLag;
    const lag = { rate: halfRate, achieved, samples, failures, p50, p99, max, load: load() };
    log(`  lag p50 ${lag.p50} ms, p99 ${lag.p99} ms over ${lag.samples} probes`);

    // --- time travel on a launch of 10,000 events -----------------------------------------------
    const travelPath = `/v1/launches/${long.launchId}/readiness?atRevision=${long.revision}`;
    const travel = await measureTimeTravel(client, token, travelPath, 50);
    const timeTravel = { events: long.revision + 1, repeats: 50, p50: travel.p50, p99: travel.p99, load: load() };
    log(`  time travel p50 ${timeTravel.p50} ms, p99 ${timeTravel.p99} ms`);

    await server.stop();
    server = undefined;

    // --- the same durable completions through WORKERS=2 processes on the same DATA_DIR ----------
    // Each through npm start's entry point on the same DATA_DIR, so only the setting differs.
    const mainJs = join(here, '../apps/api/src/main.js');
    const throughEntryPoint = async (what: string, processes: number, env: Record<string, string>, on = mainStore): Promise<LoadFigures> => {
      log(`durable completions, ${what}, 100 connections, ${DURATION} s`);
      const started = await startApiProcess({
        script: mainJs,
        env: {
          DATA_DIR: on.dir,
          ADMIN_TOKEN,
          RATE_LIMIT: '0',
          NODE_ENV: 'production',
          ...env,
          WORKERS: String(processes),
          NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
        },
        logFile: serverLog,
        startTimeoutMs: 120_000,
      });
      try {
        on.token ??= await launchManagerToken(started.url);
        const next = () => on.paths.nextTask();
        // As in the single-process phases, every launch is folded first (a cold pass over all of them),
        // so what is measured is the steady state, not each new process's first folds.
        await loadPhase(started.url, on.token, next, 10, { amount: LAUNCHES });
        // Steady state on both sides: a fresh store's first process projects the whole seed first.
        await projectionsCaughtUp(started.url, on);
        if (env.LEDGER === 'on') await ledgerCaughtUp(started.url, on.dir);
        await sleep(500);
        return figures(await loadPhase(started.url, on.token, next, 100, DURATION), 100);
      } finally {
        await started.stop();
        await started.close();
      }
    };
    const clustered = await throughEntryPoint(`WORKERS=${WORKERS}`, WORKERS, {});
    log(`  WORKERS=${WORKERS}: ${clustered.perSecond}/s, p99 ${clustered.p99} ms`);
    if (paths.exhausted) log(`WARNING: the ${paths.length} seeded open tasks ran out; raise BENCH_LAUNCHES`);

    // --- the ledger's cost (per-event MACs, the tree kept beside) ---------------------------------
    // A store per side, seeded like the first: events appended with LEDGER=off carry no MAC, so a
    // store that had the ledger off after its key existed stops the tree there, and a later "on"
    // run would not pay for it. Off, on, on, off, off, on, each one process, so a drift over the six weighs
    // on both sides alike; an "on" run is measured once its tree has caught up with the log.
    const ledgerStores = { off: await seededStore(join(root, 'ledger-off')), on: await seededStore(join(root, 'ledger-on')) };
    const ledgerRuns: Record<'off' | 'on', LoadFigures[]> = { off: [], on: [] };
    for (const side of ['off', 'on', 'on', 'off', 'off', 'on'] as const) {
      ledgerRuns[side].push(await throughEntryPoint(`one process, LEDGER=${side}`, 1, { LEDGER: side }, ledgerStores[side]));
    }
    const [ledgerOff, ledgerOn] = [meanOf(ledgerRuns.off), meanOf(ledgerRuns.on)];
    if (ledgerStores.off.paths.exhausted || ledgerStores.on.paths.exhausted) log(`WARNING: a ledger store's seeded open tasks ran out; raise BENCH_LAUNCHES`);

    // --- replay and rebuild of the history --------------------------------------------------------
    const historyFile = await historyLog(root, HISTORY_EVENTS);
    await sleep(500);
    log('replaying the whole log (child process)');
    const replay = { ...(await rebuildChild(here, ['replay', historyFile])), load: load() };
    await sleep(500);
    log('rebuilding every read model from zero (child process)');
    const rebuild = { ...(await rebuildChild(here, ['rebuild', historyFile, join(root, 'rebuilt-read-models.sqlite')])), load: load() };

    const measured = { duration: DURATION, workers: WORKERS, runs, cold, clustered, ledgerOff, ledgerOn, lag, timeTravel, replay, rebuild, started };
    process.stdout.write(report({ ...measured, longRevision: long.revision }));
  } finally {
    server?.kill();
    client.destroy();
    if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

await main();
