/**
 * `npm run bench`'s replay and rebuild: the history log they read (seeded once, then cached) and
 * the child processes that measure them (each its own process, so the peak RSS is its own).
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { log } from './run-progress.js';
import { seedHistory } from './seed.js';

/** Bumped when seedHistory changes what it writes, so a cached history log is not reused. */
const HISTORY_GENERATOR = 'g1';

export interface ChildFigures {
  events: number;
  ms: number;
  maxRssMb: number;
}

/**
 * The log of `events` events that replay and rebuild read. Generating it takes longer than
 * reading it, so it is kept in the temporary folder between runs (BENCH_FRESH_HISTORY=1 makes a
 * new one); the views are always rebuilt into a fresh file.
 */
export async function historyLog(root: string, events: number): Promise<string> {
  const cached = join(tmpdir(), `launch-control-bench-history-${HISTORY_GENERATOR}-${events}.sqlite`);
  if (!process.env.BENCH_FRESH_HISTORY && existsSync(cached)) {
    const store = new SqliteEventStore({ filename: cached });
    const head = await store.headPosition().finally(() => store.close());
    if (head >= events) {
      log(`reusing the history log of ${head} events in ${cached} (BENCH_FRESH_HISTORY=1 makes a new one)`);
      return cached;
    }
  }
  const building = join(root, 'history-events.sqlite');
  const t = performance.now();
  const store = new SqliteEventStore({ filename: building });
  let reported = 0;
  const history = await seedHistory(store, events, (written) => {
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

/** Runs `rebuild.js` (in `here`) with `args` ('replay' or 'rebuild', then files) and returns its last JSON line. */
export function rebuildChild(here: string, args: string[]): Promise<ChildFigures> {
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
