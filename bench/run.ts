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
 *     one process with LEDGER=off, then on, for the ledger's cost (target: on ≥ 0.95 × off).
 *
 * Environment: BENCH_DURATION (seconds per load phase, default 10), BENCH_EVENTS (default
 * 1000000), BENCH_LAUNCHES / BENCH_TASKS_PER_LAUNCH (open tasks to complete, default 6000 × 25).
 * Progress goes to stderr; the table and one JSON line (prefixed `BENCH_RESULT `) to stdout.
 */
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';
import { SqliteEventStore } from '#event-store';
import { seedHistory, seedLongLaunch, seedOpenTasks } from './seed.js';
import { startApiProcess } from '../test/support/api-process.js';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION = positive('BENCH_DURATION', 10);
const HISTORY_EVENTS = positive('BENCH_EVENTS', 1_000_000);
const LAUNCHES = positive('BENCH_LAUNCHES', 6000);
const TASKS_PER_LAUNCH = positive('BENCH_TASKS_PER_LAUNCH', 25);
const LONG_LAUNCH_EVENTS = 10_000;
const WORKERS = positive('BENCH_WORKERS', 2);
/** Bumped when seedHistory changes what it writes, so a cached history log is not reused. */
const HISTORY_GENERATOR = 'g1';
const ADMIN_TOKEN = 'lc_bench_admin_token_not_secret_0123456789';
const BODY = JSON.stringify({ note: 'confirmed during the launch-week burst', evidenceUrl: 'https://example.com/evidence/123' });

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const log = (message: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)} load ${load()}] ${message}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// ---------------------------------------------------------------------------------------------
// A tiny keep-alive HTTP client for setup and the probes (autocannon does the load).

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let base = { host: '127.0.0.1', port: 0 };

function request(method: string, path: string, token: string, body?: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...base,
        method,
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = text;
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------

interface LoadFigures {
  connections: number;
  perSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  load: string;
  /** Durable runs: commands acknowledged per event-store transaction (one fsync each). */
  appendsPerCommit?: number;
}

function figures(result: Result, connections: number): LoadFigures {
  return {
    connections,
    perSecond: round(result['2xx'] / result.duration, 0),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    load: load(),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'launch-control-bench-'));
  const dataDir = join(root, 'data');
  log(`temporary data in ${root}; ${DURATION} s per load phase`);
  let server: ReturnType<typeof fork> | undefined;
  try {
    // --- seed the server's store before it starts --------------------------------------------
    let t = performance.now();
    const seedStore = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
    const open = await seedOpenTasks(seedStore, LAUNCHES, TASKS_PER_LAUNCH);
    const long = await seedLongLaunch(seedStore, LONG_LAUNCH_EVENTS);
    const seededHead = await seedStore.headPosition();
    await seedStore.close();
    log(
      `seeded ${seededHead} events (${LAUNCHES} launches × ${TASKS_PER_LAUNCH} open tasks, one launch of ${LONG_LAUNCH_EVENTS} events) in ${Math.round(performance.now() - t)} ms`,
    );

    // --- start the server ---------------------------------------------------------------------
    const serverLog = join(root, 'server.log');
    const logFd = openSync(serverLog, 'a');
    server = fork(join(here, 'server.js'), [], {
      env: { ...process.env, DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
      stdio: ['ignore', logFd, logFd, 'ipc'],
      execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
    });
    const port = await new Promise<number>((resolve, reject) => {
      server!.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
      server!.once('exit', (code) => reject(new Error(`the server exited (${code}); see ${serverLog}:\n${readFileSync(serverLog, 'utf8').slice(-2000)}`)));
    });
    base = { host: '127.0.0.1', port };
    const url = `http://127.0.0.1:${port}`;
    log(`server pid ${server.pid} on ${url}`);

    const created = await request('POST', '/v1/principals', ADMIN_TOKEN, JSON.stringify({ name: 'Bench launch manager', role: 'launch-manager' }));
    if (created.status !== 201) throw new Error(`creating a principal: ${created.status} ${JSON.stringify(created.json)}`);
    const token = String(created.json.token);

    t = performance.now();
    for (;;) {
      const caught = await request('GET', `/v1/launches/${long.launchId}?minPosition=${seededHead}`, token);
      if (caught.status === 200) break;
      if (caught.status !== 503) throw new Error(`waiting for the projections: ${caught.status} ${JSON.stringify(caught.json)}`);
    }
    log(`projections caught up with the seeded ${seededHead} events ${Math.round(performance.now() - t)} ms after start`);

    // --- the work: every request completes a distinct open task, launches interleaved ---------
    const durablePaths: string[] = [];
    for (let task = 0; task < TASKS_PER_LAUNCH; task++) {
      for (let l = 0; l < LAUNCHES; l++) durablePaths.push(`/v1/launches/${open.launchIds[l]}/tasks/${open.tasks[l]![task]}/complete`);
    }
    let cursor = 0;
    let exhausted = false;
    const nextTask = (): string => {
      if (cursor >= durablePaths.length) {
        exhausted = true;
        return durablePaths[durablePaths.length - 1]!;
      }
      return durablePaths[cursor++]!;
    };
    let bareCursor = 0;
    const nextBare = (): string => `/bench/bare${durablePaths[bareCursor++ % durablePaths.length]!.slice('/v1'.length)}`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    /** `length`: seconds, or `{ amount }` requests. */
    const loadRun = (next: () => string, connections: number, length: number | { amount: number }, overallRate?: number, target = url) =>
      autocannon({
        url: target,
        connections,
        ...(typeof length === 'number' ? { duration: length } : length),
        timeout: 30,
        ...(overallRate !== undefined && { overallRate }),
        requests: [{ method: 'POST', headers, body: BODY, setupRequest: (req) => ({ ...req, method: 'POST', path: next(), headers, body: BODY }) }],
      });

    // The first command on a launch folds its stream from the store; later ones start from the
    // command runner's cached fold. The measured phases are the steady state of a launch week
    // (every launch already folded once); this first pass, one completion per launch, is the cold
    // case, and is reported as such.
    log('warm-up: bare 2 s');
    await loadRun(nextBare, 50, 2);
    log(`cold pass: the first completion on each of the ${LAUNCHES} launches, 10 connections`);
    const cold = figures(await loadRun(nextTask, 10, { amount: LAUNCHES }), 10);
    log(`  cold ${cold.perSecond}/s, p50 ${cold.p50} ms, p99 ${cold.p99} ms`);

    /** The server's event-store commits so far (bench/server.ts counts them). */
    const commits = (): Promise<number> =>
      new Promise((resolve) => {
        const onCommits = (m: { type?: string; commits?: number }) => {
          if (m.type !== 'commits') return;
          server!.off('message', onCommits);
          resolve(m.commits!);
        };
        server!.on('message', onCommits);
        server!.send('commits');
      });
    const durableRun = async (connections: number): Promise<LoadFigures> => {
      const before = await commits();
      const run = figures(await loadRun(nextTask, connections, DURATION), connections);
      const transactions = (await commits()) - before;
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
    const lags: number[] = [];
    let probeFailures = 0;
    let probing = true;
    const probe = async () => {
      while (probing) {
        const path = nextTask();
        const ack = await request('POST', path, token, BODY);
        const acknowledged = performance.now();
        if (ack.status !== 200) {
          probeFailures += 1;
          continue;
        }
        const view = await request('GET', `/v1/launches/${ack.json.launchId}?minPosition=${ack.json.position}`, token);
        const seen = performance.now();
        if (view.status !== 200 || !(view.json.revision >= ack.json.revision)) probeFailures += 1;
        else lags.push(seen - acknowledged);
        await sleep(10);
      }
    };
    await sleep(500);
    const probing1 = probe();
    const lagRun = await loadRun(nextTask, 100, DURATION, halfRate);
    probing = false;
    await probing1;
    lags.sort((a, b) => a - b);
    const lag = {
      rate: halfRate,
      achieved: round(lagRun['2xx'] / lagRun.duration, 0),
      samples: lags.length,
      failures: probeFailures + lagRun.non2xx + lagRun.errors,
      p50: round(percentile(lags, 50)),
      p99: round(percentile(lags, 99)),
      max: round(lags[lags.length - 1] ?? NaN),
      load: load(),
    };
    log(`  lag p50 ${lag.p50} ms, p99 ${lag.p99} ms over ${lag.samples} probes`);

    // --- time travel on a launch of 10,000 events -----------------------------------------------
    const travelPath = `/v1/launches/${long.launchId}/readiness?atRevision=${long.revision}`;
    for (let i = 0; i < 5; i++) {
      const warm = await request('GET', travelPath, token);
      if (warm.status !== 200) throw new Error(`time travel: ${warm.status} ${JSON.stringify(warm.json)}`);
    }
    const travels: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await request('GET', travelPath, token);
      travels.push(performance.now() - t0);
    }
    travels.sort((a, b) => a - b);
    const timeTravel = {
      events: long.revision + 1,
      repeats: travels.length,
      p50: round(percentile(travels, 50)),
      p99: round(percentile(travels, 99)),
      load: load(),
    };
    log(`  time travel p50 ${timeTravel.p50} ms, p99 ${timeTravel.p99} ms`);

    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.send('stop');
    await exited;
    server = undefined;

    // --- the same durable completions through WORKERS=2 processes on the same DATA_DIR ----------
    // Each through npm start's entry point on the same DATA_DIR, so only the setting differs.
    const mainJs = join(here, '../apps/api/src/main.js');
    const baseEnv = { DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0', NODE_ENV: 'production' };
    const throughEntryPoint = async (what: string, processes: number, env: Record<string, string>): Promise<LoadFigures> => {
      log(`durable completions, ${what}, 100 connections, ${DURATION} s`);
      const started = await startApiProcess({
        script: mainJs,
        env: { ...baseEnv, ...env, WORKERS: String(processes), NODE_OPTIONS: process.env.NODE_OPTIONS ?? '' },
        logFile: serverLog,
        startTimeoutMs: 120_000,
      });
      try {
        // As in the single-process phases, every launch is folded first (a cold pass over all of them),
        // so what is measured is the steady state, not each new process's first folds.
        await loadRun(nextTask, 10, { amount: LAUNCHES }, undefined, started.url);
        await sleep(500);
        return figures(await loadRun(nextTask, 100, DURATION, undefined, started.url), 100);
      } finally {
        await started.stop();
        await started.close();
      }
    };
    const clustered = await throughEntryPoint(`WORKERS=${WORKERS}`, WORKERS, {});
    // The ledger's cost: one process with it off, then on (per-event MACs, the tree kept beside).
    const ledgerOff = await throughEntryPoint('one process, LEDGER=off', 1, { LEDGER: 'off' });
    const ledgerOn = await throughEntryPoint('one process, LEDGER=on', 1, { LEDGER: 'on' });
    log(`  WORKERS=${WORKERS}: ${clustered.perSecond}/s, p99 ${clustered.p99} ms`);
    if (exhausted) log(`WARNING: the ${durablePaths.length} seeded open tasks ran out; raise BENCH_LAUNCHES`);

    // --- replay and rebuild of the history --------------------------------------------------------
    const historyFile = await historyLog(root);
    await sleep(500);
    log('replaying the whole log (child process)');
    const replay = { ...(await child(['replay', historyFile])), load: load() };
    await sleep(500);
    log('rebuilding every read model from zero (child process)');
    const rebuild = { ...(await child(['rebuild', historyFile, join(root, 'rebuilt-read-models.sqlite')])), load: load() };

    const machine = {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    };
    const d10 = runs.durable10!;
    const d100 = runs.durable100!;
    const b10 = runs.bare10!;
    const b100 = runs.bare100!;
    const replayRate = round(replay.events / (replay.ms / 1000), 0);
    const result = {
      machine,
      durationPerPhaseS: DURATION,
      durable: { c10: d10, c100: d100, cold, workers: { processes: WORKERS, c100: clustered }, ledger: { off: ledgerOff, on: ledgerOn } },
      bare: { c10: b10, c100: b100 },
      ratio: {
        c10: round(d10.perSecond / b10.perSecond),
        c100: round(d100.perSecond / b100.perSecond),
        workersC100: round(clustered.perSecond / d100.perSecond),
        ledgerOnOff: round(ledgerOn.perSecond / ledgerOff.perSecond),
      },
      projectionLag: lag,
      timeTravel,
      replay: { events: replay.events, ms: replay.ms, eventsPerSecond: replayRate, maxRssMb: replay.maxRssMb, load: replay.load },
      rebuild: {
        events: rebuild.events,
        ms: rebuild.ms,
        eventsPerSecond: round(rebuild.events / (rebuild.ms / 1000), 0),
        maxRssMb: rebuild.maxRssMb,
        load: rebuild.load,
      },
      totalS: round((performance.now() - started) / 1000, 0),
    };

    const targets: Array<[string, string, string, boolean]> = [
      ['durable completions, 100 conn', `${d100.perSecond}/s`, '≥ 5000/s', d100.perSecond >= 5000],
      ['ledger on ÷ off, durable, 100 conn', `${result.ratio.ledgerOnOff}`, '≥ 0.95', result.ratio.ledgerOnOff >= 0.95],
      ['durable ÷ bare, 100 conn', `${result.ratio.c100}`, '≥ 0.6', result.ratio.c100 >= 0.6],
      ['durable p99, 10 conn', `${d10.p99} ms`, '≤ 10 ms', d10.p99 <= 10],
      ['projection lag p99 at half load', `${lag.p99} ms`, '≤ 50 ms', lag.p99 <= 50],
      ['replay', `${replayRate} events/s`, '≥ 200000/s', replayRate >= 200_000],
      [`rebuild of ${rebuild.events} events`, `${round(rebuild.ms / 1000, 1)} s`, '≤ 10 s', rebuild.ms <= 10_000],
      ['rebuild peak RSS', `${rebuild.maxRssMb} MB`, '≤ 400 MB', rebuild.maxRssMb <= 400],
      [`time travel, ${timeTravel.events} events, p99`, `${timeTravel.p99} ms`, '≤ 50 ms', timeTravel.p99 <= 50],
    ];
    const lines = [
      '',
      `Launch Control benchmark — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
      '',
      '| load (HTTP, autocannon) | conn | req/s | p50 ms | p99 ms | non-2xx | commands per fsync | load avg |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
      ...(['bare10', 'durable10', 'bare100', 'durable100'] as const).map((k) => {
        const r = runs[k]!;
        return `| ${k.startsWith('bare') ? 'bare endpoint (validation only)' : 'durable task completion'} | ${r.connections} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} | ${r.appendsPerCommit ?? '–'} | ${r.load} |`;
      }),
      '',
      `durable ÷ bare: ${result.ratio.c10} at 10 connections, ${result.ratio.c100} at 100`,
      `durable completions through WORKERS=${WORKERS} processes on one DATA_DIR, 100 connections: ${clustered.perSecond}/s, p50 ${clustered.p50} ms, p99 ${clustered.p99} ms, ${clustered.non2xx + clustered.errors} non-2xx (${result.ratio.workersC100} × one process) [load ${clustered.load}]`,
      `durable completions with the ledger on ÷ off (one process each, 100 connections): ${ledgerOn.perSecond}/s ÷ ${ledgerOff.perSecond}/s = ${result.ratio.ledgerOnOff} [load ${ledgerOn.load}]`,
      `cold pass (first completion on each of ${cold.ok} launches, stream folded from the store, 10 connections): ${cold.perSecond}/s, p50 ${cold.p50} ms, p99 ${cold.p99} ms [load ${cold.load}]`,
      `projection lag at ${lag.rate}/s offered (${lag.achieved}/s done): p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms over ${lag.samples} probes (${lag.failures} failures) [load ${lag.load}]`,
      `time travel (readiness at revision ${long.revision}, ${timeTravel.events} events): p50 ${timeTravel.p50} ms, p99 ${timeTravel.p99} ms over ${timeTravel.repeats} [load ${timeTravel.load}]`,
      `replay of ${replay.events} events: ${replay.ms} ms = ${replayRate} events/s, peak RSS ${replay.maxRssMb} MB [load ${replay.load}]`,
      `rebuild of all read models from ${rebuild.events} events: ${rebuild.ms} ms, peak RSS ${rebuild.maxRssMb} MB [load ${rebuild.load}]`,
      '',
      '| target | measured | wanted | met |',
      '| --- | ---: | ---: | :---: |',
      ...targets.map(([name, got, want, met]) => `| ${name} | ${got} | ${want} | ${met ? 'yes' : 'NO'} |`),
      '',
      `total ${result.totalS} s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n\nBENCH_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    if (server) {
      server.kill('SIGKILL');
    }
    agent.destroy();
    if (!process.env.BENCH_KEEP) rmSync(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

/**
 * The log of HISTORY_EVENTS events that replay and rebuild read. Generating it takes longer than
 * reading it, so it is kept in the temporary folder between runs (BENCH_FRESH_HISTORY=1 makes a
 * new one); the views are always rebuilt into a fresh file.
 */
async function historyLog(root: string): Promise<string> {
  const cached = join(tmpdir(), `launch-control-bench-history-${HISTORY_GENERATOR}-${HISTORY_EVENTS}.sqlite`);
  if (!process.env.BENCH_FRESH_HISTORY && existsSync(cached)) {
    const store = new SqliteEventStore({ filename: cached });
    const head = await store.headPosition().finally(() => store.close());
    if (head >= HISTORY_EVENTS) {
      log(`reusing the history log of ${head} events in ${cached} (BENCH_FRESH_HISTORY=1 makes a new one)`);
      return cached;
    }
  }
  const building = join(root, 'history-events.sqlite');
  const t = performance.now();
  const store = new SqliteEventStore({ filename: building });
  let reported = 0;
  const history = await seedHistory(store, HISTORY_EVENTS, (written) => {
    if (written - reported >= 100_000) {
      reported = written;
      log(`  seeded ${written} events`);
    }
  });
  await store.close();
  log(`seeded ${history.events} events over ${history.launches} launches in ${Math.round(performance.now() - t)} ms`);
  try {
    renameSync(building, cached);
    return cached;
  } catch {
    return building;
  }
}

function child(args: string[]): Promise<{ events: number; ms: number; maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(here, 'rebuild.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`rebuild.js ${args[0]} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch (error) {
        reject(error);
      }
    });
  });
}

await main();
