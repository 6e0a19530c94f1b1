/**
 * The history logs `npm run bench:compare` replays and rebuilds from: one per build, seeded by that
 * build's own bench/seed.js. Generating 1,000,000 events takes minutes, so each log is kept in the
 * system's temporary folder under a hash of the code that writes it (the build's seed, domain and
 * event store), and reused while that code is unchanged.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedChild } from './compare-target.js';

/** The compiled files whose output decides what the history log contains. */
const WRITERS = ['dist/bench/seed.js', 'dist/libs/launch/src', 'dist/libs/event-store/src', 'dist/apps/api/src/launches/shared'];

function hashTree(root: string): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) add(join(path, entry));
    } else if (path.endsWith('.js')) {
      hash.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  for (const writer of WRITERS) add(join(root, writer));
  return hash.digest('hex').slice(0, 16);
}

export async function historyFor(here: string, root: string, events: number, log: (message: string) => void): Promise<string> {
  const cached = join(tmpdir(), `launch-control-bench-compare-history-${hashTree(root)}-${events}.sqlite`);
  if (existsSync(cached) && !process.env.BENCH_FRESH_HISTORY) {
    log(`reusing the history log ${cached}`);
    return cached;
  }
  const building = `${cached}.${process.pid}.building`;
  log(`seeding ${events} history events with ${root}'s seed into ${cached} (kept for later runs)`);
  const t = performance.now();
  try {
    await seedChild(here, ['history', root, building, String(events)]);
    // Only a complete log gets the name that is reused (the WAL is checkpointed into it on close).
    renameSync(building, cached);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  }
  log(`  seeded in ${Math.round(performance.now() - t)} ms`);
  return cached;
}

/** A build's own dist/bench/rebuild.js in a child process, so that its peak RSS is its own. */
export function replayOrRebuild(
  root: string,
  mode: 'replay' | 'rebuild',
  history: string,
  viewsFile: string,
): Promise<{ events: number; ms: number; maxRssMb: number }> {
  const args = mode === 'replay' ? [history] : [history, viewsFile];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(root, 'dist/bench/rebuild.js'), mode, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${viewsFile}${suffix}`, { force: true });
      if (code !== 0) return reject(new Error(`${root}/dist/bench/rebuild.js ${mode} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
