/**
 * One build under `npm run bench:compare`: its own seed of the event store, its own bench server
 * (`dist/bench/server.js` of that build: the product app plus the bare endpoint) and the HTTP phases
 * of `npm run bench`, driven one phase at a time so that the two builds' phases can alternate.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';

const ADMIN_TOKEN = 'lc_bench_admin_token_not_secret_0123456789';
const BODY = JSON.stringify({ note: 'confirmed during the launch-week burst', evidenceUrl: 'https://example.com/evidence/123' });

export interface Phase {
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** Durable phases: completions acknowledged per event-store commit (one fsync each). */
  appendsPerCommit?: number;
}

interface Seeded {
  launchIds: string[];
  tasks: string[][];
  long: { launchId: string; revision: number };
  head: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** Runs `dist/bench/compare-seed.js` of THIS checkout against `root`'s build. */
export function seedChild(here: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'compare-seed.js'), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`compare-seed.js ${args[0]} exited with ${code}`))));
  });
}

export class BenchTarget {
  private server?: ChildProcess;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private port = 0;
  private token = '';
  private seeded!: Seeded;
  private paths: string[] = [];
  private cursor = 0;
  private bareCursor = 0;
  exhausted = false;

  constructor(
    readonly name: string,
    readonly root: string,
    private readonly work: string,
    private readonly log: (message: string) => void,
    /** Settings for the server on top of the bench's own (BENCH_COMPARE_ENV). */
    private readonly serverEnv: Record<string, string> = {},
  ) {}

  async seed(here: string, launches: number, tasksPerLaunch: number, longEvents: number): Promise<void> {
    const out = join(this.work, 'seeded.json');
    await seedChild(here, ['open', this.root, join(this.work, 'data', 'events.sqlite'), String(launches), String(tasksPerLaunch), String(longEvents), out]);
    this.seeded = JSON.parse(readFileSync(out, 'utf8'));
    // Every request completes a distinct open task; consecutive requests go to different launches.
    for (let task = 0; task < tasksPerLaunch; task++) {
      for (let l = 0; l < launches; l++) this.paths.push(`/v1/launches/${this.seeded.launchIds[l]}/tasks/${this.seeded.tasks[l]![task]}/complete`);
    }
  }

  async start(): Promise<void> {
    const logFile = join(this.work, 'server.log');
    const fd = openSync(logFile, 'a');
    const env = {
      ...process.env,
      DATA_DIR: join(this.work, 'data'),
      ADMIN_TOKEN,
      RATE_LIMIT: '0',
      PORT: '0',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      ...this.serverEnv,
    };
    const server = fork(join(this.root, 'dist/bench/server.js'), [], { cwd: this.root, env, stdio: ['ignore', fd, fd, 'ipc'] });
    this.server = server;
    this.port = await new Promise<number>((resolve, reject) => {
      server.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
      server.once('exit', (code) => reject(new Error(`${this.name} server exited (${code}): ${readFileSync(logFile, 'utf8').slice(-2000)}`)));
    });
    const created = await this.request('POST', '/v1/principals', ADMIN_TOKEN, JSON.stringify({ name: 'Bench launch manager', role: 'launch-manager' }));
    if (created.status !== 201) throw new Error(`${this.name}: creating a principal: ${created.status} ${JSON.stringify(created.json)}`);
    this.token = String(created.json.token);
    await this.waitForPosition(this.seeded.long.launchId, this.seeded.head);
    this.log(`${this.name}: server pid ${server.pid} on port ${this.port}, projections caught up with ${this.seeded.head} seeded events`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.agent.destroy();
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.send('stop');
    const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.server?.kill('SIGKILL');
  }

  /** One completion per launch: each is the first command on its launch, so its stream is folded from the store. */
  async cold(): Promise<Phase> {
    await this.load(() => this.nextBare(), 50, 2);
    return this.figures(await this.load(() => this.nextTask(), 10, { amount: this.seeded.launchIds.length }));
  }

  async bare(connections: number, seconds: number): Promise<Phase> {
    return this.figures(await this.load(() => this.nextBare(), connections, seconds));
  }

  async durable(connections: number, seconds: number): Promise<Phase> {
    const before = await this.commits();
    const result = await this.load(() => this.nextTask(), connections, seconds);
    const commits = (await this.commits()) - before;
    // Each acknowledged completion is one append.
    return { ...this.figures(result), appendsPerCommit: commits > 0 ? Math.round((result['2xx'] * 10) / commits) / 10 : 0 };
  }

  /** autocannon offers `rate`/s while a probe measures acknowledged → view answered (ms). */
  async lag(rate: number, seconds: number): Promise<{ achieved: number; p50: number; p99: number; max: number; samples: number; failures: number }> {
    const lags: number[] = [];
    let failures = 0;
    let probing = true;
    const probe = async () => {
      while (probing) {
        const ack = await this.request('POST', this.nextTask(), this.token, BODY);
        const acknowledged = performance.now();
        if (ack.status !== 200) {
          failures += 1;
          continue;
        }
        const view = await this.request('GET', `/v1/launches/${ack.json.launchId}?minPosition=${ack.json.position}`, this.token);
        if (view.status !== 200 || !(view.json.revision >= ack.json.revision)) failures += 1;
        else lags.push(performance.now() - acknowledged);
        await sleep(10);
      }
    };
    const probing1 = probe();
    const run = await this.load(() => this.nextTask(), 100, seconds, rate);
    probing = false;
    await probing1;
    lags.sort((a, b) => a - b);
    const r2 = (n: number) => Math.round(n * 100) / 100;
    return {
      achieved: Math.round(run['2xx'] / run.duration),
      p50: r2(percentile(lags, 50)),
      p99: r2(percentile(lags, 99)),
      max: r2(lags[lags.length - 1] ?? NaN),
      samples: lags.length,
      failures: failures + run.non2xx + run.errors,
    };
  }

  /** Readiness at the last revision of the long launch: 5 warm-up calls, then `repeats` one at a time. */
  async timeTravel(repeats: number): Promise<{ p50: number; p99: number }> {
    const path = `/v1/launches/${this.seeded.long.launchId}/readiness?atRevision=${this.seeded.long.revision}`;
    for (let i = 0; i < 5; i++) {
      const warm = await this.request('GET', path, this.token);
      if (warm.status !== 200) throw new Error(`${this.name}: time travel: ${warm.status} ${JSON.stringify(warm.json)}`);
    }
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await this.request('GET', path, this.token);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return { p50: Math.round(percentile(times, 50) * 100) / 100, p99: Math.round(percentile(times, 99) * 100) / 100 };
  }

  /** Lets this server finish what a phase left (projections, WAL checkpoints) before the other build measures. */
  async settle(): Promise<void> {
    const ack = await this.request('POST', this.nextTask(), this.token, BODY);
    if (ack.status === 200) await this.waitForPosition(ack.json.launchId, ack.json.position);
    await sleep(500);
  }

  private async waitForPosition(launchId: string, position: number): Promise<void> {
    for (;;) {
      const caught = await this.request('GET', `/v1/launches/${launchId}?minPosition=${position}`, this.token);
      if (caught.status === 200) return;
      if (caught.status !== 503) throw new Error(`${this.name}: waiting for the projections: ${caught.status} ${JSON.stringify(caught.json)}`);
    }
  }

  private nextTask(): string {
    if (this.cursor >= this.paths.length) this.exhausted = true;
    return this.paths[Math.min(this.cursor++, this.paths.length - 1)]!;
  }

  private nextBare(): string {
    return `/bench/bare${this.paths[this.bareCursor++ % this.paths.length]!.slice('/v1'.length)}`;
  }

  private figures(result: Result): Phase {
    return {
      perSecond: Math.round(result['2xx'] / result.duration),
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: result.non2xx + result.errors,
    };
  }

  private load(next: () => string, connections: number, length: number | { amount: number }, overallRate?: number): Promise<Result> {
    const headers = { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' };
    return autocannon({
      url: `http://127.0.0.1:${this.port}`,
      connections,
      ...(typeof length === 'number' ? { duration: length } : length),
      timeout: 30,
      ...(overallRate !== undefined && { overallRate }),
      requests: [{ method: 'POST', headers, body: BODY, setupRequest: (req) => ({ ...req, method: 'POST', path: next(), headers, body: BODY }) }],
    });
  }

  /**
   * The server's event-store commits so far. The current bench server answers 'commits', older
   * ones answer 'stats' with `transactions`; both are asked and the first answer is taken.
   */
  private commits(): Promise<number> {
    const server = this.server!;
    return new Promise((resolve) => {
      const onMessage = (m: { type?: string; commits?: number; transactions?: number }) => {
        if (m.type !== 'commits' && m.type !== 'stats') return;
        server.off('message', onMessage);
        resolve(m.type === 'commits' ? m.commits! : (m.transactions ?? 0));
      };
      server.on('message', onMessage);
      server.send('commits');
      server.send('stats');
    });
  }

  private request(method: string, path: string, token: string, body?: string): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let json: unknown = text;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
