/**
 * `npm run bench`'s figures and what it prints: the table, the issue's targets met or not, and the
 * one `BENCH_RESULT {…}` JSON line.
 */
import { cpus, totalmem } from 'node:os';
import type { Result } from 'autocannon';
import { round, type LagFigures } from './bench-http.js';
import type { ChildFigures } from './run-history.js';
import { median } from './median.js';
import { load } from './run-progress.js';

export interface LoadFigures {
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
  /** A mean over several runs: each run's req/s. */
  samples?: number[];
}

/** The ledger phase (bench/ledger-cost.ts): each side's windows pooled. */
export interface LedgerCost {
  off: LoadFigures;
  on: LoadFigures;
  /** Each pair's on ÷ off (adjacent windows). */
  pairRatios: number[];
  windowSeconds: number;
}

export function figures(result: Result, connections: number): LoadFigures {
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

export interface Measured {
  /** Seconds of each load phase. */
  duration: number;
  workers: number;
  /** bare10, durable10, bare100, durable100. */
  runs: Record<string, LoadFigures>;
  cold: LoadFigures;
  clustered: LoadFigures;
  ledger: LedgerCost;
  lag: LagFigures & { rate: number; load: string };
  timeTravel: { events: number; repeats: number; p50: number; p99: number; load: string };
  /** The time-travel launch's last revision. */
  longRevision: number;
  replay: ChildFigures & { load: string };
  rebuild: ChildFigures & { load: string };
  /** performance.now() when the bench started. */
  started: number;
}

/** The table and targets, then the `BENCH_RESULT` line, as written to stdout. */
export function report(m: Measured): string {
  const { runs, cold, clustered, ledger, lag, timeTravel, replay, rebuild } = m;
  const { off: ledgerOff, on: ledgerOn } = ledger;
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
    durationPerPhaseS: m.duration,
    durable: {
      c10: d10,
      c100: d100,
      cold,
      workers: { processes: m.workers, c100: clustered },
      ledger: { off: ledgerOff, on: ledgerOn, windowSeconds: ledger.windowSeconds, pairRatios: ledger.pairRatios.map((r) => round(r)) },
    },
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
    totalS: round((performance.now() - m.started) / 1000, 0),
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
    `durable completions through WORKERS=${m.workers} processes on one DATA_DIR, 100 connections: ${clustered.perSecond}/s, p50 ${clustered.p50} ms, p99 ${clustered.p99} ms, ${clustered.non2xx + clustered.errors} non-2xx (${result.ratio.workersC100} × one process) [load ${clustered.load}]`,
    `durable completions with the ledger on ÷ off (one process each on a store per setting, both up, 100 connections, ${ledger.pairRatios.length} pairs of alternating ${ledger.windowSeconds} s windows, each server's views (and tree) caught up after its window): ${ledgerOn.perSecond}/s (${ledgerOn.samples?.join(', ')}) ÷ ${ledgerOff.perSecond}/s (${ledgerOff.samples?.join(', ')}) = ${result.ratio.ledgerOnOff}; per pair ${ledger.pairRatios.map((r) => round(r)).join(', ')}, median ${round(median(ledger.pairRatios)!)} [load ${ledgerOn.load}]`,
    `cold pass (first completion on each of ${cold.ok} launches, stream folded from the store, 10 connections): ${cold.perSecond}/s, p50 ${cold.p50} ms, p99 ${cold.p99} ms [load ${cold.load}]`,
    `projection lag at ${lag.rate}/s offered (${lag.achieved}/s done): p50 ${lag.p50} ms, p99 ${lag.p99} ms, max ${lag.max} ms over ${lag.samples} probes (${lag.failures} failures) [load ${lag.load}]`,
    `time travel (readiness at revision ${m.longRevision}, ${timeTravel.events} events): p50 ${timeTravel.p50} ms, p99 ${timeTravel.p99} ms over ${timeTravel.repeats} [load ${timeTravel.load}]`,
    `replay of ${replay.events} events: ${replay.ms} ms = ${replayRate} events/s, peak RSS ${replay.maxRssMb} MB [load ${replay.load}]`,
    `rebuild of all read models from ${rebuild.events} events: ${rebuild.ms} ms, peak RSS ${rebuild.maxRssMb} MB [load ${rebuild.load}]`,
    '',
    '| target | measured | wanted | met |',
    '| --- | ---: | ---: | :---: |',
    ...targets.map(([name, got, want, met]) => `| ${name} | ${got} | ${want} | ${met ? 'yes' : 'NO'} |`),
    '',
    `total ${result.totalS} s`,
  ];
  return `${lines.join('\n')}\n\nBENCH_RESULT ${JSON.stringify(result)}\n`;
}
