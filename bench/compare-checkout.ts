/**
 * The baseline of `npm run bench:compare`: a git ref checked out into a temporary worktree, its
 * own dependencies installed there, and both builds (baseline and this checkout) compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface Checkout {
  root: string;
  sha: string;
  /** How its node_modules came to be: `symlinked` (same lockfile), `npm ci`, or `npm install` (see below). */
  dependencies: 'symlinked' | 'npm ci' | 'npm install';
  remove: () => void;
}

type Log = (message: string) => void;

function run(command: string, args: string[], cwd: string, log: Log, quiet = false): { ok: boolean; output: string } {
  log(`  $ ${command} ${args.join(' ')}   (in ${cwd})`);
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 && !quiet) process.stderr.write(output.slice(-4000));
  return { ok: result.status === 0, output };
}

function mustRun(command: string, args: string[], cwd: string, log: Log): string {
  const { ok, output } = run(command, args, cwd, log);
  if (!ok) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}`);
  return output;
}

/** The commit a ref names in the repository at `repo`; throws on an unknown ref. */
export function resolveRef(repo: string, ref: string, log: Log): string {
  return mustRun('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo, log).trim();
}

/**
 * `git worktree add --detach` of `sha` at `dir`, then its dependencies: this checkout's node_modules
 * symlinked when the lockfiles are equal, else `npm ci` with its own lockfile. A lockfile from before
 * issue 14's first commit lacks the optional entries npm ≥ 11.6 wants and `npm ci` refuses it; then
 * `npm install` runs in the temporary worktree (it keeps every version the lockfile pins and only
 * adds the missing platform entries), and the report says so.
 */
export function checkOut(repo: string, sha: string, dir: string, log: Log): Checkout {
  mustRun('git', ['worktree', 'add', '--detach', dir, sha], repo, log);
  const remove = () => {
    run('git', ['worktree', 'remove', '--force', dir], repo, log, true);
    run('git', ['worktree', 'prune'], repo, log, true);
  };
  try {
    const theirs = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    const ours = readFileSync(join(repo, 'package-lock.json'), 'utf8');
    if (theirs === ours && existsSync(join(repo, 'node_modules'))) {
      symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
      return { root: dir, sha, dependencies: 'symlinked', remove };
    }
    const flags = ['--ignore-scripts=false', '--no-audit', '--no-fund'];
    const ci = run('npm', ['ci', ...flags], dir, log, true);
    if (ci.ok) return { root: dir, sha, dependencies: 'npm ci', remove };
    if (!/can only install packages when your package\.json and package-lock\.json/.test(ci.output)) {
      process.stderr.write(ci.output.slice(-4000));
      throw new Error(`npm ci failed in ${dir}`);
    }
    log('  npm ci refused the baseline lockfile (out of sync for this npm); npm install in the temporary worktree instead');
    mustRun('npm', ['install', ...flags], dir, log);
    return { root: dir, sha, dependencies: 'npm install', remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** What `npm run bench` builds: the project, then bench/ (each build with its own scripts and compiler). */
export function build(root: string, log: Log): void {
  mustRun('npm', ['run', 'build', '--silent'], root, log);
  mustRun(join(root, 'node_modules/.bin/tsc'), ['-p', 'bench/tsconfig.json'], root, log);
}
