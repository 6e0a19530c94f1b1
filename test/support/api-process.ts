import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);
const MAIN = fileURLToPath(new URL('apps/api/src/main.ts', ROOT));
const LOADER = new URL('test/support/typescript-loader.mjs', ROOT).href;

/**
 * `npm start`'s entry point (apps/api/src/main.ts) as a real process, run from the sources through
 * the same module hooks as the projector thread (so no build is needed and no stale build is
 * tested). Its cluster workers inherit the hooks. Everything it prints is kept in `output`.
 */
export class ApiProcess {
  output = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(LOADER)})`, MAIN], {
      cwd: fileURLToPath(ROOT),
      env: { ...process.env, NODE_OPTIONS: '', TYPESCRIPT_WORKER_LOADER: LOADER, HOST: '127.0.0.1', RATE_LIMIT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first match of `pattern` in the output (searched from `from`), or fails after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 90_000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.slice(from).match(pattern);
      if (match) return match;
      if (!this.running) throw new Error(`the process exited before printing ${pattern}:\n${this.output.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await sleep(100);
    }
  }

  /** Waits for the exit (SIGKILL after `timeoutMs`). */
  async exit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exit();
  }
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
