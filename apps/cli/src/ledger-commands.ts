import { existsSync, readFileSync } from 'node:fs';
import type { EventStore } from '#event-store';
import { isSignedHead, verifyHead, type LedgerStore, type SignedHead } from '#ledger';
import type { StoreConfig } from '#platform';
import type { CliIo } from './cli-io.js';
import { checkReceipt } from './ledger-check.js';
import { existingLedgerStore, ledgerExportLines, type LedgerKey, readLedgerKey } from '#platform';

/** The ledger key when LEDGER_KEY_FILE (or its default beside DATA_DIR) holds one; says so on stderr when not. */
export function optionalLedgerKey(config: StoreConfig, io: CliIo): LedgerKey | undefined {
  if (!config.ledger.enabled) return undefined;
  if (!existsSync(config.ledger.keyFile)) {
    io.err(`note: no ledger key at ${config.ledger.keyFile} (LEDGER_KEY_FILE): events' authentication is not checked`);
    return undefined;
  }
  return readLedgerKey(config.ledger.keyFile);
}

/** Runs `body` with the key and the configured tree (DATA_DIR/ledger.sqlite, or MongoDB); exit 2 when either is missing. */
async function withLedger(config: StoreConfig, io: CliIo, body: (key: LedgerKey, ledger: LedgerStore) => Promise<number>): Promise<number> {
  let key: LedgerKey;
  try {
    key = readLedgerKey(config.ledger.keyFile);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const ledger = existingLedgerStore(config);
  if (typeof ledger === 'string') {
    io.err(ledger);
    return 2;
  }
  try {
    return await body(key, ledger);
  } finally {
    await ledger.close();
  }
}

/** `receipt`: prints the latest signed head (after checking its signature) as JSON. */
export function receipt(config: StoreConfig, io: CliIo): Promise<number> {
  return withLedger(config, io, async (key, ledger) => {
    const head = await ledger.latestHead();
    if (!head || !verifyHead(head, key.publicKey)) {
      io.err(head ? "the ledger's latest head does not verify under the server's key" : 'no head is signed yet');
      return 1;
    }
    io.out(JSON.stringify(head, null, 2));
    return 0;
  });
}

/** A receipt file: the signed head's JSON, after any lines npm printed before it. */
export function readReceipt(file: string): SignedHead | string {
  if (!existsSync(file)) return `no such file: ${file}`;
  const text = readFileSync(file, 'utf8');
  const start = text.search(/^\{/m);
  try {
    const head: unknown = JSON.parse(start >= 0 ? text.slice(start) : text);
    return isSignedHead(head) ? head : `${file} is not a signed head ({ treeSize, rootHash, timestamp, keyId, signature })`;
  } catch {
    return `${file} is not JSON`;
  }
}

/** `check <receipt>`: exit 0 when the log extends the receipt, 1 naming every problem found. */
export function check(config: StoreConfig, events: EventStore, file: string | undefined, io: CliIo): Promise<number> {
  if (!file) {
    io.err('usage: npm run audit -- check <receipt.json>');
    return Promise.resolve(2);
  }
  const parsed = readReceipt(file);
  if (typeof parsed === 'string') {
    io.err(parsed);
    return Promise.resolve(2);
  }
  return withLedger(config, io, async (key, ledger) => {
    const report = await checkReceipt(parsed, events, ledger, key);
    if (report.problems.length === 0) {
      io.out(`OK: ${report.summary}; every event authenticated`);
      return 0;
    }
    const shown = report.problems.slice(0, 20);
    for (const problem of shown) io.out(`FAILED: ${problem}`);
    if (report.problems.length > shown.length) io.out(`FAILED: … and ${report.problems.length - shown.length} more`);
    return 1;
  });
}

/** `export`: the log under the latest signed head as ndjson, for tools/verify-ledger.mjs. */
export function exportLog(config: StoreConfig, events: EventStore, io: CliIo): Promise<number> {
  return withLedger(config, io, async (_key, ledger) => {
    const head = await ledger.latestHead();
    if (!head) {
      io.err('no head is signed yet');
      return 1;
    }
    for await (const chunk of ledgerExportLines(events, head)) io.out(chunk.replace(/\n$/, ''));
    return 0;
  });
}
