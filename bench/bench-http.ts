/**
 * What `npm run bench` and `npm run bench:compare` share to drive one bench server: a tiny keep-alive
 * HTTP client for setup and the probes, the autocannon phase runner (autocannon does the load), the
 * order in which the seeded open tasks are completed, and the two probes measured the same way in
 * both (projection lag, time travel).
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Result } from 'autocannon';

export const ADMIN_TOKEN = 'lc_bench_admin_token_not_secret_0123456789';
export const COMPLETION_BODY = JSON.stringify({ note: 'confirmed during the launch-week burst', evidenceUrl: 'https://example.com/evidence/123' });

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export interface Answer {
  status: number;
  json: any;
}

/** Keep-alive requests to 127.0.0.1:`port` (set once the server listens); the body, when given, is JSON. */
export class BenchClient {
  port = 0;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

  request(method: string, path: string, token: string, body?: string): Promise<Answer> {
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

  /** Polls GET /v1/launches/{id}?minPosition until the views have processed `position` (503 until then). */
  async waitForPosition(launchId: string, position: number, token: string, what = 'waiting for the projections'): Promise<void> {
    for (;;) {
      const caught = await this.request('GET', `/v1/launches/${launchId}?minPosition=${position}`, token);
      if (caught.status === 200) return;
      if (caught.status !== 503) throw new Error(`${what}: ${caught.status} ${JSON.stringify(caught.json)}`);
    }
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/**
 * One autocannon phase of task completions (or bare calls) against `url`, every request on the path
 * `next()` gives. `length`: seconds, or `{ amount }` requests; `overallRate`: requests per second offered.
 */
export function loadPhase(
  url: string,
  token: string,
  next: () => string,
  connections: number,
  length: number | { amount: number },
  overallRate?: number,
): Promise<Result> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const instance = autocannon({
    url,
    connections,
    // A run of `amount` requests ends at autocannon's next sample tick (every second by default), so
    // its duration came out as whole seconds (a cold slice of 3,000: 1,000 or 748/s); ticks of 100 ms.
    ...(typeof length === 'number' ? { duration: length } : { ...length, sampleInt: 100 }),
    timeout: 30,
    ...(overallRate !== undefined && { overallRate }),
    requests: [
      { method: 'POST', headers, body: COMPLETION_BODY, setupRequest: (req) => ({ ...req, method: 'POST', path: next(), headers, body: COMPLETION_BODY }) },
    ],
  });
  // autocannon's latency histogram counts whole milliseconds, so a durable p50 of 4.6 ms read 4 or 5
  // and a 1 ms step judged as a 20 % change; its answers carry the hrtime latency, kept here exactly.
  const latencies: number[] = [];
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  return instance.then((result) => ({ ...result, latency: { ...result.latency, ...exactLatency(latencies) } }));
}

/** p50, p99 and maximum of `latencies` (ms), to the microsecond; NaN without any. */
export function exactLatency(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => round(percentile(sorted, p), 3);
  return { p50: at(50), p99: at(99), max: sorted.length === 0 ? NaN : round(sorted[sorted.length - 1]!, 3) };
}

/**
 * The seeded open tasks in the order they are completed: every request completes a distinct open
 * task, consecutive requests go to different launches. Past the last one, the last is repeated (and
 * answered 4xx) and `exhausted` says so.
 */
export class CompletionPaths {
  exhausted = false;
  private readonly paths: string[] = [];
  private cursor = 0;
  private bareCursor = 0;

  constructor(launchIds: string[], tasks: string[][], tasksPerLaunch: number) {
    for (let task = 0; task < tasksPerLaunch; task++) {
      for (let l = 0; l < launchIds.length; l++) this.paths.push(`/v1/launches/${launchIds[l]}/tasks/${tasks[l]![task]}/complete`);
    }
  }

  get length(): number {
    return this.paths.length;
  }

  nextTask(): string {
    if (this.cursor >= this.paths.length) this.exhausted = true;
    return this.paths[Math.min(this.cursor++, this.paths.length - 1)]!;
  }

  /** The bare endpoint on the same route shape, cycling over the same ids (it appends nothing). */
  nextBare(): string {
    return `/bench/bare${this.paths[this.bareCursor++ % this.paths.length]!.slice('/v1'.length)}`;
  }
}

export interface LagFigures {
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  samples: number;
  failures: number;
}

/**
 * autocannon offers `rate`/s of completions at 100 connections while a probe completes a task and,
 * as soon as the answer arrives, asks GET /v1/launches/{id}?minPosition=<its position>, which answers
 * once the views have processed it; lag = that answer's arrival − the command's answer's arrival (so
 * it includes one GET round trip: an upper bound).
 */
export async function measureLag(client: BenchClient, url: string, token: string, paths: CompletionPaths, rate: number, seconds: number): Promise<LagFigures> {
  const lags: number[] = [];
  let failures = 0;
  let probing = true;
  const probe = async () => {
    while (probing) {
      const ack = await client.request('POST', paths.nextTask(), token, COMPLETION_BODY);
      const acknowledged = performance.now();
      if (ack.status !== 200) {
        failures += 1;
        continue;
      }
      const view = await client.request('GET', `/v1/launches/${ack.json.launchId}?minPosition=${ack.json.position}`, token);
      const seen = performance.now();
      if (view.status !== 200 || !(view.json.revision >= ack.json.revision)) failures += 1;
      else lags.push(seen - acknowledged);
      await sleep(10);
    }
  };
  const probing1 = probe();
  const run = await loadPhase(url, token, () => paths.nextTask(), 100, seconds, rate);
  probing = false;
  await probing1;
  lags.sort((a, b) => a - b);
  return {
    achieved: round(run['2xx'] / run.duration, 0),
    p50: round(percentile(lags, 50)),
    p99: round(percentile(lags, 99)),
    max: round(lags[lags.length - 1] ?? NaN),
    samples: lags.length,
    failures: failures + run.non2xx + run.errors,
  };
}

/**
 * Sequential time-travel GETs per measurement. Each takes ≈ 0.5 ms, and about one in a hundred meets
 * a young-generation GC pause of 2–5 ms: with 200 the p99 was the second-slowest answer, and the same
 * two builds measured 1.22 and 1.01 in turn; with 1,000 it is the tenth (BENCHMARKS.md).
 */
export const TIME_TRAVEL_REPEATS = 1000;

/** GET `path` (time travel) 5 times to warm up, each answered 200, then `repeats` times one at a time: p50/p99 in ms. */
export async function measureTimeTravel(
  client: BenchClient,
  token: string,
  path: string,
  repeats: number,
  what = 'time travel',
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 5; i++) {
    const warm = await client.request('GET', path, token);
    if (warm.status !== 200) throw new Error(`${what}: ${warm.status} ${JSON.stringify(warm.json)}`);
  }
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await client.request('GET', path, token);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)) };
}
