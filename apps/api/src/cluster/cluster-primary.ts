import cluster, { type Worker } from 'node:cluster';
import { isListening, restartDelay, STOP } from './workers.js';

export interface PrimaryOptions {
  workers: number;
  /** Called once, when every worker serves for the first time, with the port they share. */
  onServing(port: number): void;
  log?: (line: string) => void;
  /** How long the workers get to close their stores on SIGTERM/SIGINT before they are killed. */
  stopTimeoutMs?: number;
}

/** A worker that served this long is healthy again: its next death restarts it after the shortest delay. */
const HEALTHY_AFTER_MS = 30_000;

/**
 * The `node:cluster` primary: forks `workers` API processes that share the listening port, restarts
 * one that dies (after a backoff that grows while it keeps dying), and on SIGTERM/SIGINT asks every
 * worker to shut down cleanly, then exits once all are gone. It serves no request itself.
 */
export function runPrimary(options: PrimaryOptions): void {
  const log = options.log ?? ((line: string) => console.log(line));
  const serving = new Set<number>();
  const failures = new Map<number, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let announced = false;
  let stopping = false;

  const fork = (slot: number) => {
    const worker = cluster.fork({ LAUNCH_CONTROL_WORKER: String(slot) });
    const bornAt = Date.now();
    worker.on('message', (message: unknown) => {
      if (!isListening(message)) return;
      log(`[cluster] worker ${slot} (pid ${worker.process.pid}) serving`);
      serving.add(slot);
      if (!announced && serving.size === options.workers) {
        announced = true;
        options.onServing(message.port);
      }
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      const count = Date.now() - bornAt > HEALTHY_AFTER_MS ? 1 : (failures.get(slot) ?? 0) + 1;
      failures.set(slot, count);
      const delay = restartDelay(count);
      log(`[cluster] worker ${slot} (pid ${worker.process.pid}) exited (${signal ?? `code ${code}`}); restarting it in ${delay} ms`);
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork(slot);
      }, delay);
      restarts.add(timer);
    });
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    restarts.forEach((timer) => clearTimeout(timer));
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    log(`[cluster] ${signal}: stopping ${running.length} worker(s)`);
    if (running.length === 0) process.exit(0);
    let left = running.length;
    const killer = setTimeout(() => running.forEach((w) => w.isDead() || w.process.kill('SIGKILL')), options.stopTimeoutMs ?? 20_000);
    for (const worker of running) {
      worker.once('exit', () => {
        if (--left > 0) return;
        clearTimeout(killer);
        process.exit(0);
      });
      // A message, not a signal: a worker that already got the terminal's SIGINT must not get a second signal mid-shutdown.
      if (worker.isConnected()) worker.send({ type: STOP }, () => undefined);
      else worker.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  log(`[cluster] primary (pid ${process.pid}) starting ${options.workers} workers`);
  for (let slot = 1; slot <= options.workers; slot++) fork(slot);
}
