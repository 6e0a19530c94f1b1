/**
 * The entry-point phases' stores and servers: a DATA_DIR seeded with open tasks, and `npm start`'s
 * entry point started on it, warmed (every launch folded once) and caught up (views, and the
 * ledger's tree where it is on), so what is measured is the steady state.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '#event-store';
import { ADMIN_TOKEN, BenchClient, CompletionPaths, loadPhase } from './bench-http.js';
import { log } from './run-progress.js';
import { seedOpenTasks } from './seed.js';
import { startApiProcess } from '../test/support/api-process.js';

/** A DATA_DIR the entry-point phases run on: its open tasks and a launch manager's token (made at its first start). */
export interface EntryPointStore {
  dir: string;
  /** A seeded launch, to ask the views whether they have caught up. */
  launchId: string;
  paths: CompletionPaths;
  token?: string;
}

export async function seededStore(dir: string, launches: number, tasksPerLaunch: number): Promise<EntryPointStore> {
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  const open = await seedOpenTasks(store, launches, tasksPerLaunch).finally(() => store.close());
  log(`seeded ${dir}: ${launches} launches × ${tasksPerLaunch} open tasks`);
  return { dir, launchId: open.launchIds[0]!, paths: new CompletionPaths(open.launchIds, open.tasks, tasksPerLaunch) };
}

export async function launchManagerToken(url: string): Promise<string> {
  const body = JSON.stringify({ name: 'Bench launch manager', role: 'launch-manager' });
  const answer = await fetch(`${url}/v1/principals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  if (answer.status !== 201) throw new Error(`creating a principal: ${answer.status} ${await answer.text()}`);
  return String(((await answer.json()) as { token: unknown }).token);
}

export async function storeHead(dir: string): Promise<number> {
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  return store.headPosition().finally(() => store.close());
}

/** Waits until the server's views have processed every event of the store in `dir`. */
export async function projectionsCaughtUp(url: string, on: EntryPointStore): Promise<void> {
  const probe = new BenchClient();
  probe.port = Number(new URL(url).port);
  await probe.waitForPosition(on.launchId, await storeHead(on.dir), on.token!).finally(() => probe.destroy());
}

/** Waits until the server's signed tree head covers every event of the store in `dir` (the keeper has caught up). */
export async function ledgerCaughtUp(url: string, dir: string, quiet = false): Promise<void> {
  const head = await storeHead(dir);
  const t = performance.now();
  for (;;) {
    const answer = await fetch(`${url}/v1/ledger/head`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const treeSize = answer.ok ? ((await answer.json()) as { treeSize: number }).treeSize : 0;
    if (treeSize >= head) {
      if (!quiet) log(`  the ledger's tree covers the ${head} events (${Math.round(performance.now() - t)} ms after the cold pass)`);
      return;
    }
    if (performance.now() - t > 600_000) throw new Error(`the ledger's tree stayed at ${treeSize} of ${head} events`);
    await sleep(250);
  }
}

export interface EntryPointOptions {
  mainJs: string;
  store: EntryPointStore;
  processes: number;
  env: Record<string, string>;
  logFile: string;
  /** Launches to fold once before measuring (the cold pass). */
  launches: number;
}

export type StartedEntryPoint = Awaited<ReturnType<typeof startApiProcess>>;

/** Starts the entry point on the store, folds every launch once and waits for the views (and the tree) to catch up. */
export async function startWarmed({ mainJs, store, processes, env, logFile, launches }: EntryPointOptions): Promise<StartedEntryPoint> {
  const started = await startApiProcess({
    script: mainJs,
    env: {
      DATA_DIR: store.dir,
      ADMIN_TOKEN,
      RATE_LIMIT: '0',
      NODE_ENV: 'production',
      ...env,
      WORKERS: String(processes),
      NODE_OPTIONS: process.env.NODE_OPTIONS ?? '',
    },
    logFile,
    startTimeoutMs: 120_000,
  });
  try {
    store.token ??= await launchManagerToken(started.url);
    // As in the single-process phases, every launch is folded first (a cold pass over all of them),
    // so what is measured is the steady state, not each new process's first folds.
    await loadPhase(started.url, store.token, () => store.paths.nextTask(), 10, { amount: launches });
    await caughtUp(started.url, store, env.LEDGER === 'on');
    return started;
  } catch (error) {
    await started.stop();
    await started.close();
    throw error;
  }
}

/** Waits for the views (a fresh store's first process projects the whole seed first) and, with the ledger on, the tree. */
export async function caughtUp(url: string, store: EntryPointStore, ledger: boolean, quiet = false): Promise<void> {
  await projectionsCaughtUp(url, store);
  if (ledger) await ledgerCaughtUp(url, store.dir, quiet);
}
