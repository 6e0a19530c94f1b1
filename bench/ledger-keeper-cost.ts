/**
 * The ledger keeper's cost on the calling thread's event loop, per event: a small bounded
 * measurement (not part of `npm run bench`). Appends N chained, MACed events to a temporary
 * embedded log, then keeps the tree over them either on this thread (MODE=inline: LedgerKeeper, as
 * the API did before) or on the keeper's own thread (MODE=thread: LedgerKeeperThread, as the API
 * does now), and reports how long this thread's event loop was busy meanwhile. Also the MAC each
 * append still costs on the command path.
 *
 *   TYPESCRIPT_WORKER_LOADER=file://$PWD/test/support/typescript-loader.mjs \
 *     MODE=thread N=10000 node --import ./clients/register-typescript.mjs bench/ledger-keeper-cost.ts
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chain, SqliteEventStore, type EventToAppend } from '#event-store';
import { eventMac, MAC_FIELD, type SignedHead } from '#ledger';
import { LedgerKeeper, LedgerKeeperThread, readLedgerKey, SqliteLedgerStore } from '#platform';

const N = Math.min(100_000, Math.max(50, Number(process.env.N ?? 10_000)));
const MODE = process.env.MODE === 'inline' ? 'inline' : 'thread';
const TIMEOUT_MS = 60_000;

const dir = mkdtempSync(join(tmpdir(), 'ledger-keeper-cost-'));
mkdirSync(join(dir, 'keys'));
const keyFile = join(dir, 'keys', 'ledger.pem');
writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
const key = readLedgerKey(keyFile);
const eventsFile = join(dir, 'events.sqlite');
const ledgerFile = join(dir, 'ledger.sqlite');
const events = new SqliteEventStore({ filename: eventsFile });
const ledger = new SqliteLedgerStore(ledgerFile);

try {
  let macMs = 0;
  for (let stream = 0; stream < N / 50; stream++) {
    const streamId = `launch-${randomUUID()}`;
    let prevHash = '0'.repeat(64);
    const batch: EventToAppend[] = [];
    for (let revision = 0; revision < 50; revision++) {
      const eventId = randomUUID();
      const data = { taskId: randomUUID(), note: 'confirmed during the launch-week burst', evidenceUrl: 'https://example.com/evidence/123' };
      const actor = { id: randomUUID(), name: 'Sales', role: 'department', department: 'sales' };
      const metadata = chain(
        { streamId, revision, type: 'TaskCompleted', data, metadata: { actor, occurredAt: new Date().toISOString(), correlationId: randomUUID() } },
        prevHash,
      );
      const started = performance.now();
      metadata[MAC_FIELD] = eventMac(key.macKey, eventId, String(metadata.hash));
      macMs += performance.now() - started;
      prevHash = String(metadata.hash);
      batch.push({ eventId, type: 'TaskCompleted', data, metadata });
    }
    await events.append(streamId, batch, 'no_stream');
  }

  const total = Math.floor(N / 50) * 50;
  let covered!: () => void;
  const done = new Promise<void>((resolve) => (covered = resolve));
  const onSigned = (head: SignedHead) => head.treeSize >= total && covered();
  const log = { log: () => undefined, error: (line: string) => console.error(line) };
  const keeper =
    MODE === 'thread'
      ? new LedgerKeeperThread({ eventsFile, ledgerFile, keyFile, log, onSigned, intervalMs: 20 })
      : new LedgerKeeper(events, ledger, key, { log, onSigned, intervalMs: 20 });
  const timeout = setTimeout(() => covered(), TIMEOUT_MS); // also keeps this loop alive (the keeper's timers are unref'd)
  const loopBefore = performance.eventLoopUtilization();
  const startedAt = performance.now();
  await keeper.start();
  await done;
  const wallMs = performance.now() - startedAt;
  const loop = performance.eventLoopUtilization(loopBefore);
  clearTimeout(timeout);
  await keeper.stop();
  const size = (await ledger.state()).size;
  console.log(`MAC at append (command path): ${((macMs * 1000) / total).toFixed(1)} µs/event`);
  console.log(
    `${MODE}: ${size} of ${total} events kept in ${wallMs.toFixed(0)} ms; this thread's event loop busy ${loop.active.toFixed(1)} ms = ${((loop.active * 1000) / total).toFixed(2)} µs/event`,
  );
} finally {
  await ledger.close();
  await events.close();
  rmSync(dir, { recursive: true, force: true });
}
