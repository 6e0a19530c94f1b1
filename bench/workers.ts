/**
 * The WORKERS=N phase of the benchmark: the product's own entry point (`npm start`'s
 * dist/apps/api/src/main.js) with WORKERS=N, on the data folder the single-process phases used, so
 * the same kind of durable completions can be compared in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WorkersServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `main` with WORKERS=`workers` and resolves once it answers /health/ready. */
export async function startWorkers(main: string, workers: number, env: Record<string, string>, logFile: string): Promise<WorkersServer> {
  const port = await freePort();
  const logFd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, WORKERS: String(workers), PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', logFd, logFd],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the WORKERS=${workers} server exited (${child.exitCode}); see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the WORKERS=${workers} server was not ready within 120 s; see ${logFile}`);
    }
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await sleep(200);
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(forced);
    },
  };
}
