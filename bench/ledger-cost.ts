/**
 * The ledger's cost: durable completions with LEDGER=off and on, one process each on a store per
 * setting, both servers up and warmed at once, measured in short windows that alternate between them
 * (off, on, on, off, …): whatever this machine's speed does over a minute (a shared host's other
 * tenants, the disk's flushes) weighs on both sides alike, where a run per setting, one after the
 * other, measured each in a different minute. After each window its server's views (and tree) catch
 * up before the next one starts, so neither server works in the other's window. One window each
 * before the pairs is not measured.
 */
import { caughtUp, startWarmed, type EntryPointOptions, type EntryPointStore, type StartedEntryPoint } from './entry-point.js';
import { loadPhase } from './bench-http.js';
import { log } from './run-progress.js';
import { figures, type LedgerCost, type LoadFigures } from './run-report.js';

type Side = 'off' | 'on';

export async function measureLedgerCost(
  stores: Record<Side, EntryPointStore>,
  common: Omit<EntryPointOptions, 'store' | 'env' | 'processes'>,
  pairs: number,
  windowSeconds: number,
): Promise<LedgerCost> {
  const servers: Partial<Record<Side, StartedEntryPoint>> = {};
  try {
    for (const side of ['off', 'on'] as const) {
      log(`starting one process with LEDGER=${side} on its own store (cold pass, views and tree caught up)`);
      servers[side] = await startWarmed({ ...common, store: stores[side], env: { LEDGER: side }, processes: 1 });
    }
    // One window each, not measured: the server started first had sat idle while the other was
    // started and warmed, and its first window measured about half its rate (1,042 and 969/s
    // against ≈ 2,000/s), which counted for the other side.
    for (const side of ['off', 'on'] as const) {
      await loadPhase(servers[side]!.url, stores[side].token!, () => stores[side].paths.nextTask(), 100, windowSeconds);
      await caughtUp(servers[side]!.url, stores[side], side === 'on', true);
    }
    const windows: Record<Side, LoadFigures[]> = { off: [], on: [] };
    log(`durable completions, 100 connections, ${pairs} × (off, on) windows of ${windowSeconds} s, alternating`);
    for (let pair = 0; pair < pairs; pair++) {
      for (const side of pair % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        const { url } = servers[side]!;
        const store = stores[side];
        windows[side].push(figures(await loadPhase(url, store.token!, () => store.paths.nextTask(), 100, windowSeconds), 100));
        await caughtUp(url, store, side === 'on', true);
      }
    }
    const pairRatios = windows.on.map((on, i) => on.perSecond / windows.off[i]!.perSecond);
    log(`  off ${windows.off.map((w) => w.perSecond).join(', ')}; on ${windows.on.map((w) => w.perSecond).join(', ')}`);
    return { off: pooled(windows.off), on: pooled(windows.on), pairRatios, windowSeconds };
  } finally {
    for (const server of Object.values(servers)) {
      await server.stop();
      await server.close();
    }
  }
}

/** Windows of equal length pooled: the mean rate, the median p50, the worst p99, every window's rate as a sample. */
function pooled(windows: LoadFigures[]): LoadFigures {
  const rates = windows.map((w) => w.perSecond);
  const p50s = windows.map((w) => w.p50).sort((a, b) => a - b);
  return {
    ...windows[0]!,
    perSecond: Math.round(rates.reduce((a, b) => a + b, 0) / rates.length),
    ok: windows.reduce((sum, w) => sum + w.ok, 0),
    non2xx: windows.reduce((sum, w) => sum + w.non2xx, 0),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
    p50: p50s[Math.floor(p50s.length / 2)]!,
    p99: Math.max(...windows.map((w) => w.p99)),
    samples: rates,
  };
}
