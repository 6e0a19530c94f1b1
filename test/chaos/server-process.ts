import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const SERVER_ENTRY = 'dist/apps/api/src/main.js';

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

/** The real server (`node dist/apps/api/src/main.js`, what `npm start` runs) as a child process. */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private ready = false;
  private readonly log: WriteStream;
  starts = 0;

  /**
   * `nodeArgs` is what node runs: the built server by default; the e2e suites run the TypeScript
   * sources through the test loader instead (test/support/server-from-sources.ts).
   */
  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    logFile: string,
    private readonly nodeArgs: string[] = [SERVER_ENTRY],
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the process and waits until /health/ready answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error('the server is already running');
    this.starts += 1;
    const child = spawn(process.execPath, this.nodeArgs, {
      env: { ...process.env, NODE_OPTIONS: '', ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`the server exited during start (code ${code}, signal ${signal})`))),
    );
    exited.catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ready = await Promise.race([this.isReady(), exited]);
      if (ready) {
        this.ready = true;
        return;
      }
      await sleep(50);
    }
    throw new Error(`the server was not ready within ${timeoutMs} ms`);
  }

  /** Started, answered /health/ready, and not stopped since. */
  get serving(): boolean {
    return this.ready;
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  /** A graceful stop (SIGTERM: Nest's shutdown hooks close the stores). */
  terminate(): Promise<void> {
    return this.stop('SIGTERM');
  }

  async close(): Promise<void> {
    if (this.child) await this.kill();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.ready = false;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }
}
