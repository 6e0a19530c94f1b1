import { pathToFileURL } from 'node:url';
import { type EventStore } from '#event-store';
import { LAUNCH_STREAM_PREFIX, launchStreamId } from '#launch';
import { createEventStore, loadStoreConfig, verifyLaunch } from '#platform';
import { runAsProcess, type CliIo } from './cli-io.js';
import { timeline } from './timeline.js';

const USAGE = [
  'usage: npm run audit -- verify <launchId>     recompute a launch\'s hash chain',
  '       npm run audit -- verify --all          every launch in the store',
  '       npm run audit -- history <launchId> [--as-of <instant>]   a readable timeline',
  'The store is the configured one (DATA_DIR, EVENT_STORE_URL). Exit 1: a chain is broken; 2: bad usage or no such launch.',
].join('\n');

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Every launch id in the store, in the order the launches were created. */
async function launchIds(store: EventStore): Promise<string[]> {
  const ids = new Set<string>();
  for await (const event of store.readAll()) {
    if (event.streamId.startsWith(LAUNCH_STREAM_PREFIX)) ids.add(event.streamId.slice(LAUNCH_STREAM_PREFIX.length));
  }
  return [...ids];
}

async function verify(store: EventStore, args: string[], io: CliIo): Promise<number> {
  const all = args[0] === '--all';
  if (args.length !== 1) return usage(io);
  const ids = all ? await launchIds(store) : [args[0]!];
  let broken = 0;
  for (const launchId of ids) {
    const result = await verifyLaunch(store, launchId);
    if (!result) {
      io.err(`launch ${launchId}: no such launch`);
      return 2;
    }
    if (result.valid) {
      io.out(`launch ${launchId}: valid (${result.events} events)`);
    } else {
      broken++;
      io.out(`launch ${launchId}: BROKEN at revision ${result.firstInvalidRevision} (${result.events} events)`);
    }
  }
  if (all) io.out(`${ids.length} launches verified, ${broken} broken`);
  return broken > 0 ? 1 : 0;
}

async function history(store: EventStore, args: string[], io: CliIo): Promise<number> {
  const [launchId, flag, asOf, ...rest] = args;
  if (!launchId || rest.length > 0 || (flag !== undefined && (flag !== '--as-of' || asOf === undefined))) return usage(io);
  if (asOf !== undefined && (!ISO_INSTANT.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    io.err(`--as-of must be an ISO-8601 instant, got ${asOf}`);
    return 2;
  }
  let lines = 0;
  for await (const line of timeline(store.readStream(launchStreamId(launchId)), asOf)) {
    io.out(line);
    lines++;
  }
  if (lines === 0) {
    io.err(asOf !== undefined ? `launch ${launchId}: did not exist at ${asOf}` : `launch ${launchId}: no such launch`);
    return 2;
  }
  return 0;
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return 2;
}

/** The audit command line: verify chains and print timelines against the configured event store. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'verify' && command !== 'history') return usage(io);
  const store = createEventStore(loadStoreConfig(io.env), { log: () => undefined, warn: (message) => io.err(message) });
  try {
    return command === 'verify' ? await verify(store, rest, io) : await history(store, rest, io);
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAsProcess(main);
