import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { freePort, ServerProcess } from '../chaos/server-process.js';

export const INSTANCE_ADMIN_TOKEN = 'lc_multi-instance-admin-0123456789abcdefghijklmnopqrstuvwxyz';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REGISTER = new URL('./register-typescript.mjs', import.meta.url).href;
const LOADER = new URL('./typescript-loader.mjs', import.meta.url).href;
const fromSources = (entry: string) => ['--import', REGISTER, join(root, entry)];

/** KurrentDB + MongoDB when both URLs are set (CI's multi-instance job), else the embedded store. */
export const EXTERNAL_STORES = Boolean(process.env.EVENT_STORE_URL && process.env.MONGODB_URL);

/**
 * Several real API processes (the TypeScript sources through the test loader, no build needed) on
 * one store: one temporary DATA_DIR, or, with EVENT_STORE_URL and MONGODB_URL set, those servers
 * with a fresh MongoDB database and a projector process. `close()` kills everything it started.
 */
export class ServerInstances {
  private projector: ChildProcess | undefined;

  private constructor(
    readonly processes: ServerProcess[],
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async create(count: number): Promise<ServerInstances> {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-instances-'));
    const env: Record<string, string> = { DATA_DIR: dataDir, ADMIN_TOKEN: INSTANCE_ADMIN_TOKEN, RATE_LIMIT: '0', TYPESCRIPT_WORKER_LOADER: LOADER };
    if (EXTERNAL_STORES) env.MONGODB_URL = withDatabase(process.env.MONGODB_URL!, `lc-instances-${randomUUID().slice(0, 8)}`);
    const processes: ServerProcess[] = [];
    for (let i = 0; i < count; i++)
      processes.push(new ServerProcess(await freePort(), env, join(dataDir, `api-${i}.log`), fromSources('apps/api/src/main.ts')));
    return new ServerInstances(processes, dataDir, env);
  }

  /** Starts the processes one after another (the projector first, with external stores). */
  async startInTurn(): Promise<void> {
    this.startProjector();
    for (const server of this.processes) await server.start(45_000);
  }

  /** Starts every process at the same moment; resolves with each start's outcome. */
  async startTogether(): Promise<PromiseSettledResult<void>[]> {
    this.startProjector();
    return Promise.allSettled(this.processes.map((server) => server.start(45_000)));
  }

  /** The tail of a process's log, for a failure message. */
  logTail(index: number, lines = 15): string {
    return readFileSync(join(this.dataDir, `api-${index}.log`), 'utf8')
      .split('\n')
      .slice(-lines)
      .join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((server) => server.close()));
    const projector = this.projector;
    if (projector && projector.exitCode === null && projector.signalCode === null) {
      const exited = new Promise((resolve) => projector.once('exit', resolve));
      projector.kill('SIGKILL');
      await exited;
    }
    if (EXTERNAL_STORES) {
      const client = new MongoClient(this.env.MONGODB_URL, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db().dropDatabase();
      } finally {
        await client.close();
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private startProjector(): void {
    if (!EXTERNAL_STORES || this.projector) return;
    const log = createWriteStream(join(this.dataDir, 'projector.log'));
    this.projector = spawn(process.execPath, fromSources('apps/projector/src/main.ts'), {
      env: { ...process.env, NODE_OPTIONS: '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.projector.stdout?.pipe(log);
    this.projector.stderr?.pipe(log);
  }
}

/** The same MongoDB URL naming another database (single-host URLs, as CI's). */
function withDatabase(url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${database}`);
}

export interface Answer {
  status: number;
  headers: Headers;

  body: any;
}

/** One HTTP call to a process; JSON in and out. */
export async function call(
  server: ServerProcess,
  method: 'GET' | 'POST',
  path: string,
  options: { token: string; body?: unknown; key?: string },
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${options.token}` };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.key !== undefined) headers['Idempotency-Key'] = options.key;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}
