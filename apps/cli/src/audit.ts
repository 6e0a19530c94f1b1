import { pathToFileURL } from 'node:url';
import { type EventStore } from '#event-store';
import { LAUNCH_STREAM_PREFIX, launchStreamId } from '#launch';
import { createEventStore, loadStoreConfig, verifyLaunch, type LaunchVerification, type LedgerKey, type StoreConfig } from '#platform';
import { runAsProcess, type CliIo } from './cli-io.js';
import { check, exportLog, optionalLedgerKey, receipt } from './ledger-commands.js';
import { timeline } from './timeline.js';

const USAGE = [
  "usage: npm run audit -- verify <launchId>     recompute a launch's hash chain",
  '       npm run audit -- verify --all          every launch in the store',
  '       npm run audit -- history <launchId> [--as-of <instant>]   a readable timeline',
  '       npm run audit -- receipt > head.json    save the current signed tree head',
  '       npm run audit -- check head.json        prove the log only grew since that head',
  '       npm run audit -- export > log.ndjson    the log under the signed head, for tools/verify-ledger.mjs',
  'The store is the configured one (DATA_DIR, EVENT_STORE_URL; the key: LEDGER_KEY_FILE).',
  'Exit 1: a chain is broken, an event is unauthenticated or the log does not extend the receipt; 2: bad usage or no such launch.',
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

/** One line naming what is wrong with a launch's stored events. */
function brokenLine(result: LaunchVerification): string {
  const reasons = [
    ...(result.firstInvalidRevision !== undefined ? [`BROKEN at revision ${result.firstInvalidRevision}`] : []),
    ...(result.firstUnauthenticatedRevision !== undefined
      ? [`UNAUTHENTICATED event at revision ${result.firstUnauthenticatedRevision} (not appended by the server)`]
      : []),
  ];
  return `launch ${result.launchId}: ${reasons.join(', ')} (${result.events} events)`;
}

async function verify(store: EventStore, args: string[], io: CliIo, key?: LedgerKey): Promise<number> {
  const all = args[0] === '--all';
  if (args.length !== 1) return usage(io);
  const ids = all ? await launchIds(store) : [args[0]!];
  let broken = 0;
  for (const launchId of ids) {
    const result = await verifyLaunch(store, launchId, key);
    if (!result) {
      io.err(`launch ${launchId}: no such launch`);
      return 2;
    }
    if (result.valid) {
      io.out(`launch ${launchId}: valid (${result.events} events)`);
    } else {
      broken++;
      io.out(brokenLine(result));
    }
  }
  if (all) io.out(`${ids.length} launches verified, ${broken} broken`);
  return broken > 0 ? 1 : 0;
}

async function history(store: EventStore, args: string[], io: CliIo, key?: LedgerKey): Promise<number> {
  const [launchId, flag, asOf, ...rest] = args;
  if (!launchId || rest.length > 0 || (flag !== undefined && (flag !== '--as-of' || asOf === undefined))) return usage(io);
  if (asOf !== undefined && (!ISO_INSTANT.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    io.err(`--as-of must be an ISO-8601 instant, got ${asOf}`);
    return 2;
  }
  const verification = await verifyLaunch(store, launchId, key);
  // A tampered history is flagged before and after it, never printed as if it were sound.
  const warning = verification && !verification.valid ? `!! ${brokenLine(verification)}: this history was altered outside the server` : undefined;
  if (warning) io.out(warning);
  let lines = 0;
  for await (const line of timeline(store.readStream(launchStreamId(launchId)), asOf)) {
    io.out(line);
    lines++;
  }
  if (lines === 0) {
    io.err(asOf !== undefined ? `launch ${launchId}: did not exist at ${asOf}` : `launch ${launchId}: no such launch`);
    return 2;
  }
  if (warning) io.out(warning);
  return warning ? 1 : 0;
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return 2;
}

/** The audit command line: verify chains and print timelines against the configured event store. */
export async function main(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (!COMMANDS.includes(command as (typeof COMMANDS)[number])) return usage(io);
  if (command === 'receipt' || command === 'export' ? rest.length !== 0 : command === 'check' && rest.length !== 1) return usage(io);
  const config = loadStoreConfig(io.env);
  const store = createEventStore(config, { log: () => undefined, warn: (message) => io.err(message) });
  try {
    return await run(command as (typeof COMMANDS)[number], config, store, rest, io);
  } finally {
    await store.close();
  }
}

const COMMANDS = ['verify', 'history', 'receipt', 'check', 'export'] as const;

function run(command: (typeof COMMANDS)[number], config: StoreConfig, store: EventStore, rest: string[], io: CliIo): Promise<number> {
  switch (command) {
    case 'verify':
      return verify(store, rest, io, optionalLedgerKey(config, io));
    case 'history':
      return history(store, rest, io, optionalLedgerKey(config, io));
    case 'receipt':
      return receipt(config, io);
    case 'check':
      return check(config, store, rest[0], io);
    case 'export':
      return exportLog(config, store, io);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAsProcess(main);
