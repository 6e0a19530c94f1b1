/**
 * `npm run bench:compare -- <git-ref>`: `npm run bench`'s figures for this checkout and for
 * `<git-ref>` in one run, their phases alternating (baseline then current in odd rounds, current
 * then baseline in even ones; `sync` after each phase), so that both builds meet the same machine at
 * nearly the same moment and neither always follows the other.
 *
 *  1. `<git-ref>` is checked out into a temporary git worktree, its dependencies installed there
 *     (this checkout's node_modules symlinked when the lockfiles are equal) and built; this checkout
 *     was built by the npm script.
 *  2. Each build seeds its own event store with its own bench/seed.js (identical counts), and runs
 *     its own bench server. Both run side by side; each phase runs on the baseline, then on the
 *     current build, every round: bare and durable at 10 and 100 connections, projection lag at one
 *     offered rate for both (half the slower durable rate at 100 connections of that round), time
 *     travel. Before the rounds, the cold pass: a launch is cold only once, so the seeded launches
 *     are taken in slices (BENCH_COMPARE_COLD_SLICES, default 3), each a sample, alternating too.
 *  3. Replay and rebuild of a history log each build seeded itself (cached), in child processes
 *     (each build's own bench/rebuild.js), alternating the same way.
 *  4. A table of every figure (the median of its samples, each sample), current ÷ baseline and
 *     whether it is within 10 %, then one `BENCH_COMPARE {…}` JSON line.
 *
 * Each round after the first starts both servers again, its first build first, and warms them (one
 * completion on every launch, not measured); every round begins with 2 s of the bare endpoint on
 * each, not measured either.
 *
 * Environment: BENCH_DURATION, BENCH_EVENTS, BENCH_LAUNCHES, BENCH_TASKS_PER_LAUNCH as for
 * `npm run bench` (but 30 tasks per launch, or 10 per round beyond three: three rounds take more than 25); BENCH_COMPARE_ROUNDS
 * (default 3: with two, one disturbed round still weighs half); BENCH_COMPARE_SMOKE=1 for a short run proving
 * the tool (small seeds, 2 s phases); BENCH_KEEP=1 keeps the temporary folder and worktree;
 * BENCH_COMPARE_CURRENT=<git-ref> checks that ref out (and builds it) as the current build instead of
 * this checkout, to compare two past commits (a merge against its first parent, say).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIME_TRAVEL_REPEATS } from './bench-http.js';
import { build, checkOut, resolveRef, type Checkout } from './compare-checkout.js';
import { historyFor, replayOrRebuild } from './compare-history.js';
import { compare, formatTable, type Direction, type Figure } from './compare-report.js';
import { BenchTarget, type Phase } from './compare-target.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const smoke = process.env.BENCH_COMPARE_SMOKE === '1';
const DURATION = positive('BENCH_DURATION', smoke ? 2 : 10);
const HISTORY_EVENTS = positive('BENCH_EVENTS', smoke ? 20_000 : 1_000_000);
const ROUNDS = positive('BENCH_COMPARE_ROUNDS', smoke ? 2 : 3);
// A round takes up to ≈ 80,000 open tasks per build on this machine: with too few, the last round's
// phases ran out (6,000 × 25 in two rounds; 9,000 × 30 in five) and measured refused requests.
// 9,000 launches still fit the folds a process caches, so the tasks per launch grow with the rounds.
const LAUNCHES = positive('BENCH_LAUNCHES', smoke ? 1500 : 9000);
// (and one more per round after the first, for the warm-up after the servers start again)
const TASKS_PER_LAUNCH = positive('BENCH_TASKS_PER_LAUNCH', Math.max(30, 10 * ROUNDS) + ROUNDS - 1);
const LONG_LAUNCH_EVENTS = smoke ? 2000 : 10_000;
const COLD_SLICES = positive('BENCH_COMPARE_COLD_SLICES', 3);
// Sequential GETs of ≈ 0.5 ms: with 50 the p99 was the slowest one, with 200 the second slowest.
const TRAVELS = smoke ? 10 : TIME_TRAVEL_REPEATS;
const SERVER_ENV = serverEnv(process.env.BENCH_COMPARE_ENV ?? '');

/** `BENCH_COMPARE_ENV="LEDGER=off X=y"`: settings given to both builds' servers (a build ignores what it does not know). */
function serverEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`BENCH_COMPARE_ENV: "${pair}" is not NAME=value`);
    env[match[1]!] = match[2]!;
  }
  return env;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const log = (message: string) => process.stderr.write(`[bench:compare ${new Date().toISOString().slice(11, 19)} load ${load()}] ${message}\n`);

type Side = 'baseline' | 'current';
/** Samples by figure name, in the order figures were first recorded. */
const samples = new Map<string, Figure>();
function record(name: string, unit: string, better: Direction, side: Side, value: number): void {
  const figure = samples.get(name) ?? { name, unit, better, baseline: [], current: [] };
  figure[side].push(value);
  samples.set(name, figure);
}
function recordPhase(label: string, side: Side, phase: Phase): void {
  record(`${label}: throughput`, 'req/s', 'higher', side, phase.perSecond);
  record(`${label}: p50`, 'ms', 'lower', side, phase.p50);
  record(`${label}: p99`, 'ms', 'lower', side, phase.p99);
  if (phase.appendsPerCommit !== undefined) record(`${label}: commands per fsync`, '', 'none', side, phase.appendsPerCommit);
  if (phase.failures > 0) log(`  WARNING ${side} ${label}: ${phase.failures} non-2xx or errors`);
}

async function main(): Promise<void> {
  const ref = process.argv[2];
  if (!ref) throw new Error('usage: npm run bench:compare -- <git-ref>');
  const started = performance.now();
  const sha = resolveRef(repo, ref, log);
  // BENCH_COMPARE_CURRENT=<ref>: a second worktree stands for "current" (two past commits compared), not this checkout.
  const currentRef = process.env.BENCH_COMPARE_CURRENT;
  const currentSha = currentRef ? resolveRef(repo, currentRef, log) : execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  const dirty = !currentRef && execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repo, encoding: 'utf8' }).trim() !== '';
  const work = mkdtempSync(join(tmpdir(), 'launch-control-bench-compare-'));
  log(`baseline ${ref} = ${sha}; current ${currentSha}${dirty ? ' with uncommitted changes' : ''}; temporary folder ${work}`);
  log(
    `${DURATION} s per phase, ${ROUNDS} rounds, ${LAUNCHES} × ${TASKS_PER_LAUNCH} open tasks, ${HISTORY_EVENTS} history events${smoke ? ' (smoke run)' : ''}`,
  );
  if (Object.keys(SERVER_ENV).length > 0) log(`both servers with ${JSON.stringify(SERVER_ENV)}`);
  let checkout: Checkout | undefined;
  let currentCheckout: Checkout | undefined;
  const targets: BenchTarget[] = [];
  try {
    log(`checking out ${sha.slice(0, 12)} and installing its dependencies`);
    checkout = checkOut(repo, sha, join(work, 'baseline-src'), log);
    log(`building the baseline (dependencies: ${checkout.dependencies})`);
    build(checkout.root, log);
    const baseline = new BenchTarget('baseline', checkout.root, join(work, 'baseline'), log, SERVER_ENV);
    if (currentRef) {
      log(`checking out ${currentSha.slice(0, 12)} as the current build`);
      currentCheckout = checkOut(repo, currentSha, join(work, 'current-src'), log);
      build(currentCheckout.root, log);
    }
    const current = new BenchTarget('current', currentCheckout?.root ?? repo, join(work, 'current'), log, SERVER_ENV);
    targets.push(baseline, current);
    const both: Array<[Side, BenchTarget]> = [
      ['baseline', baseline],
      ['current', current],
    ];

    for (const [side, target] of both) {
      const t = performance.now();
      await target.seed(here, LAUNCHES, TASKS_PER_LAUNCH, LONG_LAUNCH_EVENTS);
      log(`${side}: seeded in ${Math.round(performance.now() - t)} ms`);
    }
    for (const [, target] of both) await target.start();

    // Which build goes first alternates (round 1 baseline first, round 2 current first, …), so that
    // whatever one phase leaves behind (the kernel still writing its pages back, say) does not always
    // fall on the same build's phase. (It did not explain the lag gap it was suspected of: see
    // BENCHMARKS.md, "The restructuring's own merges".)
    const inTurn = (turn: number) => (turn % 2 === 1 ? both : [...both].reverse());
    const slice = Math.ceil(LAUNCHES / COLD_SLICES);
    for (let from = 0; from < LAUNCHES; from += slice) {
      for (const [side, target] of inTurn(from / slice + 1)) {
        const count = Math.min(slice, LAUNCHES - from);
        log(`${side}: cold pass, the first completion on each of the next ${count} of ${LAUNCHES} launches`);
        recordPhase('cold pass, 10 conn', side, await target.cold(count));
        await target.settle();
      }
    }
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) {
        // The servers start again each round, the round's first build first: the server started
        // second showed a worse lag tail with identical code (BENCHMARKS.md, "The restructuring's
        // own merges"), so which one that is alternates too. Each is warmed before it is measured.
        for (const [, target] of both) await target.stop();
        for (const [side, target] of inTurn(round)) {
          await target.start();
          // Not measured: a cold pass over every launch brings its cached folds back (without it, the
          // round's first durable phase measured mostly cold launches: 620–1,020/s against 1,890/s).
          await target.cold(LAUNCHES);
          await target.settle();
          log(`round ${round}: ${side} started again and warmed`);
        }
      }
      // Each server sat idle while the other warmed (or ran its cold slice): in six rounds of eight
      // the build measured first then had the lower bare rate at 10 connections, its first phase.
      for (const [, target] of inTurn(round)) await target.bare(10, 2);
      const d100: number[] = [];
      for (const connections of [10, 100]) {
        for (const kind of ['bare', 'durable'] as const) {
          for (const [side, target] of inTurn(round)) {
            log(`round ${round}: ${side} ${kind}, ${connections} connections, ${DURATION} s`);
            const phase = kind === 'bare' ? await target.bare(connections, DURATION) : await target.durable(connections, DURATION);
            recordPhase(`${kind === 'bare' ? 'bare endpoint' : 'durable completion'}, ${connections} conn`, side, phase);
            if (kind === 'durable' && connections === 100) d100.push(phase.perSecond);
            await target.settle();
          }
        }
      }
      // One offered rate for both builds, so their lags are measured under the same load.
      const rate = Math.max(1, Math.floor(Math.min(...d100) / 2));
      for (const [side, target] of inTurn(round)) {
        log(`round ${round}: ${side} projection lag at ${rate}/s offered, ${DURATION} s`);
        const lag = await target.lag(rate, DURATION);
        record('projection lag at half load: p50', 'ms', 'lower', side, lag.p50);
        record('projection lag at half load: p99', 'ms', 'lower', side, lag.p99);
        record('projection lag at half load: max', 'ms', 'lower', side, lag.max);
        record('projection lag at half load: done', 'req/s', 'none', side, lag.achieved);
        if (lag.failures > 0) log(`  WARNING ${side} lag: ${lag.failures} failures`);
        await target.settle();
      }
      for (const [side, target] of inTurn(round)) {
        const travel = await target.timeTravel(TRAVELS);
        record(`time travel (${LONG_LAUNCH_EVENTS} events): p50`, 'ms', 'lower', side, travel.p50);
        record(`time travel (${LONG_LAUNCH_EVENTS} events): p99`, 'ms', 'lower', side, travel.p99);
      }
    }
    for (const [side, target] of both) {
      if (target.exhausted) log(`WARNING ${side}: the seeded open tasks ran out; raise BENCH_LAUNCHES`);
      await target.stop();
    }

    const histories = {} as Record<Side, string>;
    for (const [side, target] of both) histories[side] = await historyFor(here, target.root, HISTORY_EVENTS, log);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const mode of ['replay', 'rebuild'] as const) {
        for (const [side, target] of inTurn(round)) {
          log(`round ${round}: ${side} ${mode} of ${HISTORY_EVENTS} events (child process)`);
          const run = await replayOrRebuild(target.root, mode, histories[side], join(work, `${side}-rebuilt-${round}.sqlite`));
          if (mode === 'replay') record('replay: events/s', 'events/s', 'higher', side, Math.round(run.events / (run.ms / 1000)));
          else record('rebuild: time', 's', 'lower', side, run.ms / 1000);
          record(`${mode}: peak RSS`, 'MB', 'lower', side, run.maxRssMb);
        }
      }
    }

    const figures = [...samples.values()];
    for (const c of [10, 100]) {
      const durable = samples.get(`durable completion, ${c} conn: throughput`)!;
      const bare = samples.get(`bare endpoint, ${c} conn: throughput`)!;
      const ratio = (side: Side) => durable[side].map((d, i) => Math.round((d / bare[side][i]!) * 1000) / 1000);
      // Shown, not judged: both rates are judged themselves, and a faster bare endpoint alone would lower it.
      figures.push({ name: `durable ÷ bare, ${c} conn`, unit: '', better: 'none', baseline: ratio('baseline'), current: ratio('current') });
    }
    const comparison = compare(figures, 0.1);
    const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 29) / 2, node: process.version };
    const totalS = Math.round((performance.now() - started) / 1000);
    const lines = [
      '',
      `Launch Control benchmark comparison — baseline ${ref} (${sha.slice(0, 12)}) against current ${currentSha.slice(0, 12)}${dirty ? '+changes' : ''}`,
      `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; ${DURATION} s phases, ${ROUNDS} rounds, load average at the end ${load()}`,
      '',
      formatTable(comparison),
      '',
      'Not compared: the WORKERS=2 and ledger on ÷ off figures of `npm run bench` (settings the baseline does not have; ledger on ÷ off is already a same-run figure there).',
      `total ${totalS} s`,
    ];
    const result = {
      baseline: { ref, sha, dependencies: checkout.dependencies },
      current: { ...(currentRef && { ref: currentRef }), sha: currentSha, uncommittedChanges: dirty },
      settings: {
        durationPerPhaseS: DURATION,
        rounds: ROUNDS,
        launches: LAUNCHES,
        tasksPerLaunch: TASKS_PER_LAUNCH,
        historyEvents: HISTORY_EVENTS,
        smoke,
        serverEnv: SERVER_ENV,
      },
      machine,
      ...comparison,
      totalS,
    };
    process.stdout.write(`${lines.join('\n')}\n\nBENCH_COMPARE ${JSON.stringify(result)}\n`);
    // A figure worse than the baseline by more than the tolerance fails the command, as a check would.
    if (!comparison.ok) process.exitCode = 1;
  } finally {
    for (const target of targets) target.kill();
    if (process.env.BENCH_KEEP) log(`kept ${work}`);
    else {
      checkout?.remove();
      currentCheckout?.remove();
      rmSync(work, { recursive: true, force: true });
    }
  }
}

await main();
