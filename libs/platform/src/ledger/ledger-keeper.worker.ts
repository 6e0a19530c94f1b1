/**
 * The ledger keeper's thread: reads the embedded log through its own connection, checks each new
 * event's hash and MAC, hashes it into the Merkle tree and signs the heads, so none of that per-event
 * work takes the API's event loop (which then only MACs the events it appends). Started by
 * LedgerKeeperThread while its process holds the `ledger` lease.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '#event-store';
import { LedgerKeeper } from './ledger-keeper.js';
import { readLedgerKey } from './ledger-key-file.js';
import type { FromLedgerThread, LedgerThreadData, ToLedgerThread } from './ledger-keeper-thread.messages.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';
import { lowerThisThreadPriority } from './thread-priority.js';

const port = parentPort;
if (!port) throw new Error('ledger-keeper.worker runs as a worker thread');
const data = workerData as LedgerThreadData;
const send = (message: FromLedgerThread): void => port.postMessage(message);
if (data.nice !== undefined) lowerThisThreadPriority(data.nice);

const events = new SqliteEventStore({ filename: data.eventsFile, reader: true });
const ledger = new SqliteLedgerStore(data.ledgerFile);
const keeper = new LedgerKeeper(events, ledger, readLedgerKey(data.keyFile), {
  ...(data.intervalMs !== undefined && { intervalMs: data.intervalMs }),
  ...(data.maxLeavesPerHead !== undefined && { maxLeavesPerHead: data.maxLeavesPerHead }),
  log: {
    log: (message) => send({ type: 'log', level: 'log', message }),
    error: (message) => send({ type: 'log', level: 'error', message }),
  },
  onSigned: (head) => send({ type: 'signed', head }),
});

port.on('message', (message: ToLedgerThread) => {
  if (message.type === 'stop') void stop();
  else keeper.accept(message.leaves);
});

async function stop(): Promise<void> {
  await keeper.stop();
  await ledger.close();
  await events.close();
  send({ type: 'stopped' });
  port!.close();
}

keeper.start();
send({ type: 'started' });
