/**
 * The one way tests, the chaos harness and the benchmark start a real API process (`npm start`'s
 * entry point as a child process): spawn, wait until ready, call, stop or SIGKILL, start again.
 * No jest in here: bench/ compiles and runs it too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository: the nearest folder above this file with a package.json (this file also runs from dist/test/support). */
const ROOT = (function repositoryRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : repositoryRoot(dirname(dir));
})(dirname(fileURLToPath(import.meta.url)));

/** The API from its TypeScript sources (no build needed, no stale build tested). */
export const API_SOURCES = join(ROOT, 'apps/api/src/main.ts');
/** The API as `npm start` runs it (`npm run build` first). */
export const API_BUILD = join(ROOT, 'dist/apps/api/src/main.js');
/** The module hooks that run TypeScript: registered in a `.ts` script's process and named to its worker threads. */
const REGISTER_TYPESCRIPT = join(ROOT, 'test/support/register-typescript.mjs');
const TYPESCRIPT_LOADER = pathToFileURL(join(ROOT, 'test/support/typescript-loader.mjs')).href;

export interface ApiProcessOptions {
  /** Added to this process's environment (DATA_DIR, ADMIN_TOKEN, WORKERS, …); PORT and HOST are the handle's. */
  env?: Record<string, string>;
  /** The loopback port to serve on; a free one when absent. */
  port?: number;
  /** What node runs: `.ts` through the TypeScript hooks, anything else as is; relative to the repository. Default API_SOURCES. */
  script?: string;
  /** Also append everything the process prints to this file, across restarts. */
  logFile?: string;
  /** When start() resolves: once /health/ready answers 200 (default), once the output matches, or once spawned. */
  ready?: 'health' | RegExp | 'spawned';
  /** How long start() waits for readiness before it SIGKILLs the process and fails. Default 60 s. */
  startTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The Content-Type. */
  type: string | null;
  body: any;
}

/**
 * A real API process on 127.0.0.1. Not spawned until start(); start() may be called again after a
 * stop or kill (same port, same environment, same log). Everything printed is kept in `output`.
 */
export class ApiProcess {
  readonly url: string;
  /** What the process gets beyond this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  output = '';
  /** How many times start() spawned the process. */
  starts = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });
  private ready = false;
  private readonly script: string;
  private readonly log: WriteStream | undefined;

  constructor(
    readonly port: number,
    private readonly options: ApiProcessOptions = {},
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.script = isAbsolute(options.script ?? API_SOURCES) ? (options.script ?? API_SOURCES) : join(ROOT, options.script!);
    const typescript: Record<string, string> = this.script.endsWith('.ts') ? { TYPESCRIPT_WORKER_LOADER: TYPESCRIPT_LOADER } : {};
    this.env = { NODE_OPTIONS: '', NO_COLOR: '1', ...typescript, ...options.env, PORT: String(port), HOST: '127.0.0.1' };
    this.log = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  }

  get dataDir(): string | undefined {
    return this.env.DATA_DIR;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawned and not exited. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Started, found ready, and not stopped since. */
  get serving(): boolean {
    return this.ready && this.running;
  }

  /** Spawns the process and waits until it is ready; if it exits first or is not ready in time, fails with its last output. */
  async start(timeoutMs = this.options.startTimeoutMs ?? 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.url} is already running`);
    this.starts += 1;
    const from = this.output.length;
    const args = this.script.endsWith('.ts') ? ['--import', REGISTER_TYPESCRIPT, this.script] : [this.script];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const closed = new Promise((resolve) => child.once('close', resolve));
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      this.log?.write(chunk);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    const ready = this.options.ready ?? 'health';
    const deadline = Date.now() + timeoutMs;
    while (ready !== 'spawned') {
      if (ready === 'health' ? await this.isReady() : ready.test(this.output.slice(from))) break;
      if (!this.running) {
        const { code, signal } = await this.exited;
        await Promise.race([closed, sleep(1000)]); // what it printed last may still be in the pipes
        throw new Error(`${this.url} exited during start (code ${code}, signal ${signal}):\n${this.tail(from)}`);
      }
      if (Date.now() > deadline) {
        await this.stop('SIGKILL');
        throw new Error(`${this.url} was not ready within ${timeoutMs} ms:\n${this.tail(from)}`);
      }
      await sleep(50);
    }
    this.ready = true;
  }

  /** Resolves with the first match of `pattern` in the output from offset `from`; fails if the process exits first or after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 90_000, from = 0): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.output.slice(from).match(pattern);
      if (match) return match;
      if (!this.running) throw new Error(`the process exited before printing ${pattern}:\n${this.tail(from)}`);
      if (Date.now() > deadline) throw new Error(`${pattern} not printed within ${timeoutMs} ms:\n${this.tail(from)}`);
      await sleep(100);
    }
  }

  /** Waits for the process to exit (SIGKILL after `timeoutMs`); the last exit if it is not running. */
  async exit(timeoutMs = 30_000): Promise<Exit> {
    const child = this.child;
    const forced = setTimeout(() => child?.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(forced);
    }
  }

  /** Sends `signal` (SIGTERM: Nest's shutdown hooks close the stores) and waits for the exit, SIGKILL after `timeoutMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<Exit> {
    this.ready = false;
    if (this.running) this.child!.kill(signal);
    return this.exit(timeoutMs);
  }

  /** SIGKILL: no shutdown hook runs, no lease is released, whatever was in flight is cut. */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Kills the process if it runs and closes the log file: call it once, when done with the handle. */
  async close(): Promise<void> {
    await this.kill();
    const log = this.log;
    if (log) await new Promise<void>((resolve) => log.end(resolve));
  }

  /** One probe of GET /health/ready: true on a 200. */
  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** One JSON request, with a bearer token and an Idempotency-Key when given. */
  async call(method: string, path: string, options: { token?: string; body?: unknown; key?: string } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.key !== undefined) headers['Idempotency-Key'] = options.key;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    const type = response.headers.get('content-type');
    return { status: response.status, headers: response.headers, type, body: text ? JSON.parse(text) : undefined };
  }

  private tail(from: number): string {
    return this.output.slice(from).slice(-3000);
  }
}

/** A handle on a free port (or options.port), not spawned yet. */
export async function createApiProcess(options: ApiProcessOptions = {}): Promise<ApiProcess> {
  return new ApiProcess(options.port ?? (await freePort()), options);
}

/** A started API process: spawned and ready (see ApiProcessOptions.ready); nothing is left running if the start fails. */
export async function startApiProcess(options: ApiProcessOptions = {}): Promise<ApiProcess> {
  const api = await createApiProcess(options);
  try {
    await api.start();
  } catch (error) {
    await api.close();
    throw error;
  }
  return api;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
