import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { createApiProcess, type ApiProcess } from './api-process.js';

export const INSTANCE_ADMIN_TOKEN = 'lc_multi-instance-admin-0123456789abcdefghijklmnopqrstuvwxyz';

/** KurrentDB + MongoDB when both URLs are set (CI's multi-instance job), else the embedded store. */
export const EXTERNAL_STORES = Boolean(process.env.EVENT_STORE_URL && process.env.MONGODB_URL);

/**
 * Several real API processes (test/support/api-process.ts, from the sources) on one store: one
 * temporary DATA_DIR, or, with EVENT_STORE_URL and MONGODB_URL set, those servers with a fresh
 * MongoDB database and a projector process. `close()` kills everything it started.
 */
export class ServerInstances {
  private constructor(
    readonly processes: ApiProcess[],
    private readonly projector: ApiProcess | undefined,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {}

  static async create(count: number): Promise<ServerInstances> {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-instances-'));
    const env: Record<string, string> = { DATA_DIR: dataDir, ADMIN_TOKEN: INSTANCE_ADMIN_TOKEN, RATE_LIMIT: '0' };
    if (EXTERNAL_STORES) env.MONGODB_URL = withDatabase(process.env.MONGODB_URL!, `lc-instances-${randomUUID().slice(0, 8)}`);
    const processes: ApiProcess[] = [];
    for (let i = 0; i < count; i++) processes.push(await createApiProcess({ env, startTimeoutMs: 45_000 }));
    const projector = EXTERNAL_STORES
      ? await createApiProcess({ env, script: 'apps/projector/src/main.ts', ready: 'spawned', logFile: join(dataDir, 'projector.log') })
      : undefined;
    return new ServerInstances(processes, projector, dataDir, env);
  }

  /** Starts the processes one after another (the projector first, with external stores). */
  async startInTurn(): Promise<void> {
    await this.startProjector();
    for (const server of this.processes) await server.start();
  }

  /** Starts every process at the same moment; resolves with each start's outcome. */
  async startTogether(): Promise<PromiseSettledResult<void>[]> {
    await this.startProjector();
    return Promise.allSettled(this.processes.map((server) => server.start()));
  }

  /** The tail of a process's output, for a failure message. */
  logTail(index: number, lines = 15): string {
    return this.processes[index]!.output.split('\n').slice(-lines).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes, ...(this.projector ? [this.projector] : [])].map((server) => server.close()));
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

  private async startProjector(): Promise<void> {
    if (this.projector?.starts === 0) await this.projector.start();
  }
}

/** The same MongoDB URL naming another database (single-host URLs, as CI's). */
function withDatabase(url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?/, `$1/${database}`);
}
