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
 *     the ledger's cost (target: on ≥ 0.95 × off): on two more stores seeded alike, one process with
 *     LEDGER=off and one with LEDGER=on, both up at once, measured in alternating windows
 *     (bench/ledger-cost.ts; BENCH_LEDGER_PAIRS, default 20, of BENCH_LEDGER_WINDOW s, default 4).
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
import { BenchClient, loadPhase, measureLag, measureTimeTravel, round, TIME_TRAVEL_REPEATS } from './bench-http.js';
import { launchManagerToken, seededStore, startWarmed } from './entry-point.js';
import { measureLedgerCost } from './ledger-cost.js';
import { historyLog, rebuildChild } from './run-history.js';
import { load, log } from './run-progress.js';
import { figures, report, type LoadFigures } from './run-report.js';
import { startBenchServer, type BenchServer } from './run-server.js';
import { seedLongLaunch } from './seed.js';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION = positive('BENCH_DURATION', 10);
const HISTORY_EVENTS = positive('BENCH_EVENTS', 1_000_000);
const LAUNCHES = positive('BENCH_LAUNCHES', 9000);
const TASKS_PER_LAUNCH = positive('BENCH_TASKS_PER_LAUNCH', 25);
const LONG_LAUNCH_EVENTS = 10_000;
const WORKERS = positive('BENCH_WORKERS', 2);
// 20, not 10: two servers of the same build (both LEDGER=off) measured 0.98 and 1.07 in two runs of
// 8 pairs here, a spread as large as the ledger's cost (BENCHMARKS.md, 6 Dec 2026).
const LEDGER_PAIRS = positive('BENCH_LEDGER_PAIRS', 20);
const LEDGER_WINDOW = positive('BENCH_LEDGER_WINDOW', 4);

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
    const mainStore = await seededStore(dataDir, LAUNCHES, TASKS_PER_LAUNCH);
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
    const travel = await measureTimeTravel(client, token, travelPath, TIME_TRAVEL_REPEATS);
    const timeTravel = { events: long.revision + 1, repeats: TIME_TRAVEL_REPEATS, p50: travel.p50, p99: travel.p99, load: load() };
    log(`  time travel p50 ${timeTravel.p50} ms, p99 ${timeTravel.p99} ms`);

    await server.stop();
    server = undefined;

    // --- the same durable completions through WORKERS=2 processes on the same DATA_DIR ----------
    // Through npm start's entry point on the same DATA_DIR, so only the setting differs.
    const entry = { mainJs: join(here, '../apps/api/src/main.js'), logFile: serverLog, launches: LAUNCHES };
    log(`durable completions, WORKERS=${WORKERS}, 100 connections, ${DURATION} s`);
    const workers = await startWarmed({ ...entry, store: mainStore, processes: WORKERS, env: {} });
    await sleep(500);
    const clustered = await loadPhase(workers.url, token, nextTask, 100, DURATION)
      .then((result) => figures(result, 100))
      .finally(async () => {
        await workers.stop();
        await workers.close();
      });
    log(`  WORKERS=${WORKERS}: ${clustered.perSecond}/s, p99 ${clustered.p99} ms`);
    if (paths.exhausted) log(`WARNING: the ${paths.length} seeded open tasks ran out; raise BENCH_LAUNCHES`);

    // --- the ledger's cost (per-event MACs, the tree kept beside) ---------------------------------
    // A store per side, seeded like the first: events appended with LEDGER=off carry no MAC, so a
    // store that had the ledger off after its key existed stops the tree there, and a later "on"
    // run would not pay for it.
    // Enough open tasks for every window at up to 4,000/s (the unmeasured first one too), after the warm-up's one per launch.
    const ledgerTasks = Math.max(TASKS_PER_LAUNCH, Math.ceil(((LEDGER_PAIRS + 1) * LEDGER_WINDOW * 4000) / LAUNCHES) + 1);
    const ledgerStores = {
      off: await seededStore(join(root, 'ledger-off'), LAUNCHES, ledgerTasks),
      on: await seededStore(join(root, 'ledger-on'), LAUNCHES, ledgerTasks),
    };
    const ledger = await measureLedgerCost(ledgerStores, entry, LEDGER_PAIRS, LEDGER_WINDOW);
    if (ledgerStores.off.paths.exhausted || ledgerStores.on.paths.exhausted) log(`WARNING: a ledger store's seeded open tasks ran out; raise BENCH_LAUNCHES`);

    // --- replay and rebuild of the history --------------------------------------------------------
    const historyFile = await historyLog(root, HISTORY_EVENTS);
    await sleep(500);
    log('replaying the whole log (child process)');
    const replay = { ...(await rebuildChild(here, ['replay', historyFile])), load: load() };
    await sleep(500);
    log('rebuilding every read model from zero (child process)');
    const rebuild = { ...(await rebuildChild(here, ['rebuild', historyFile, join(root, 'rebuilt-read-models.sqlite')])), load: load() };

    const measured = { duration: DURATION, workers: WORKERS, runs, cold, clustered, ledger, lag, timeTravel, replay, rebuild, started };
    process.stdout.write(report({ ...measured, longRevision: long.revision }));
  } finally {
    server?.kill();
    client.destroy();
    if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

await main();
