/**
 * One build under `npm run bench:compare`: its own seed of the event store, its own bench server
 * (`dist/bench/server.js` of that build: the product app plus the bare endpoint) and the HTTP phases
 * of `npm run bench`, driven one phase at a time so that the two builds' phases can alternate.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Result } from 'autocannon';
import { ADMIN_TOKEN, BenchClient, COMPLETION_BODY, CompletionPaths, loadPhase, measureLag, measureTimeTravel, type LagFigures } from './bench-http.js';

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
  private readonly client = new BenchClient();
  private token = '';
  private seeded!: Seeded;
  private paths!: CompletionPaths;

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
    this.paths = new CompletionPaths(this.seeded.launchIds.slice(0, launches), this.seeded.tasks, tasksPerLaunch);
  }

  /** Whether the seeded open tasks ran out (the last one was repeated, answered 4xx). */
  get exhausted(): boolean {
    return this.paths?.exhausted ?? false;
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
    this.client.port = await new Promise<number>((resolve, reject) => {
      server.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
      server.once('exit', (code) => reject(new Error(`${this.name} server exited (${code}): ${readFileSync(logFile, 'utf8').slice(-2000)}`)));
    });
    const created = await this.client.request('POST', '/v1/principals', ADMIN_TOKEN, JSON.stringify({ name: 'Bench launch manager', role: 'launch-manager' }));
    if (created.status !== 201) throw new Error(`${this.name}: creating a principal: ${created.status} ${JSON.stringify(created.json)}`);
    this.token = String(created.json.token);
    await this.waitForPosition(this.seeded.long.launchId, this.seeded.head);
    this.log(`${this.name}: server pid ${server.pid} on port ${this.client.port}, projections caught up with ${this.seeded.head} seeded events`);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.client.destroy();
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

  /**
   * One completion on each of the next `launches` launches not yet touched: each is the first command
   * on its launch, so its stream is folded from the store (settle() afterwards completes a task on the
   * launch after them, so of the slices after the first one, one request each is not cold).
   */
  async cold(launches: number): Promise<Phase> {
    await this.load(() => this.paths.nextBare(), 50, 2);
    return this.figures(await this.load(() => this.paths.nextTask(), 10, { amount: launches }));
  }

  async bare(connections: number, seconds: number): Promise<Phase> {
    return this.figures(await this.load(() => this.paths.nextBare(), connections, seconds));
  }

  async durable(connections: number, seconds: number): Promise<Phase> {
    const before = await this.commits();
    const result = await this.load(() => this.paths.nextTask(), connections, seconds);
    const commits = (await this.commits()) - before;
    // Each acknowledged completion is one append.
    return { ...this.figures(result), appendsPerCommit: commits > 0 ? Math.round((result['2xx'] * 10) / commits) / 10 : 0 };
  }

  /** autocannon offers `rate`/s while a probe measures acknowledged → view answered (ms). */
  lag(rate: number, seconds: number): Promise<LagFigures> {
    return measureLag(this.client, this.url, this.token, this.paths, rate, seconds);
  }

  /** Readiness at the last revision of the long launch: 5 warm-up calls, then `repeats` one at a time. */
  timeTravel(repeats: number): Promise<{ p50: number; p99: number }> {
    const path = `/v1/launches/${this.seeded.long.launchId}/readiness?atRevision=${this.seeded.long.revision}`;
    return measureTimeTravel(this.client, this.token, path, repeats, `${this.name}: time travel`);
  }

  /** Lets this server finish what a phase left (projections, WAL checkpoints) before the other build measures. */
  async settle(): Promise<void> {
    const ack = await this.client.request('POST', this.paths.nextTask(), this.token, COMPLETION_BODY);
    if (ack.status === 200) await this.waitForPosition(ack.json.launchId, ack.json.position);
    // The pages this phase dirtied are written back now, not during the next build's phase.
    execFileSync('sync');
    await sleep(500);
  }

  private waitForPosition(launchId: string, position: number): Promise<void> {
    return this.client.waitForPosition(launchId, position, this.token, `${this.name}: waiting for the projections`);
  }

  private get url(): string {
    return `http://127.0.0.1:${this.client.port}`;
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
    return loadPhase(this.url, this.token, next, connections, length, overallRate);
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
}
