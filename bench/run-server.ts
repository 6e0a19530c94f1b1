/** `npm run bench`'s single server process: bench/server.js forked on the seeded DATA_DIR. */
import { fork } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN } from './bench-http.js';

export interface BenchServer {
  pid: number | undefined;
  port: number;
  /** The server's event-store commits so far (bench/server.ts counts them). */
  commits(): Promise<number>;
  /** Asks it to stop and waits for its exit. */
  stop(): Promise<void>;
  kill(): void;
}

/** Starts bench/server.js (in `here`) with RATE_LIMIT=0 on 127.0.0.1 and a free port; its output goes to `serverLog`. */
export async function startBenchServer(here: string, dataDir: string, serverLog: string): Promise<BenchServer> {
  const logFd = openSync(serverLog, 'a');
  const server = fork(join(here, 'server.js'), [], {
    env: { ...process.env, DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', logFd, logFd, 'ipc'],
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.on('message', (m: { type?: string; port?: number }) => m.type === 'listening' && resolve(m.port!));
      server.once('exit', (code) => reject(new Error(`the server exited (${code}); see ${serverLog}:\n${readFileSync(serverLog, 'utf8').slice(-2000)}`)));
    });
    return {
      pid: server.pid,
      port,
      commits: () =>
        new Promise((resolve) => {
          const onCommits = (m: { type?: string; commits?: number }) => {
            if (m.type !== 'commits') return;
            server.off('message', onCommits);
            resolve(m.commits!);
          };
          server.on('message', onCommits);
          server.send('commits');
        }),
      stop: async () => {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.send('stop');
        await exited;
      },
      kill: () => server.kill('SIGKILL'),
    };
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
}
