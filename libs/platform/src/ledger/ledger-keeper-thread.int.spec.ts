import { afterEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { eventLeafHash, rootOf, verifyHead, type SignedHead } from '#ledger';
import { appendChainedEvents } from '../../../../test/support/chained-events.js';
import { readLedgerKey } from './ledger-key-file.js';
import { KEEPER_NICE, LedgerKeeperThread } from './ledger-keeper-thread.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

/** [thread id, nice] of every thread of this process (Linux). */
function threadNices(): Array<[number, number]> {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return [Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
  });
}

describe('LedgerKeeperThread: the keeper on a worker thread of its own', () => {
  let base: string;
  const closing: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
    rmSync(base, { recursive: true, force: true });
  });

  it('takes the events appended on this thread into the tree, signs a head over them, and writes nothing once stopped', async () => {
    base = mkdtempSync(join(tmpdir(), 'ledger-thread-'));
    const keyFile = join(base, 'keys', 'ledger.pem');
    mkdirSync(join(base, 'keys'));
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const key = readLedgerKey(keyFile);
    const eventsFile = join(base, 'events.sqlite');
    const ledgerFile = join(base, 'ledger.sqlite');
    const events = new SqliteEventStore({ filename: eventsFile });
    closing.push(() => events.close());
    const append = (count: number) => appendChainedEvents(events, key.macKey, count);

    const signed: SignedHead[] = [];
    const errors: string[] = [];
    const thread = new LedgerKeeperThread({
      eventsFile,
      ledgerFile,
      keyFile,
      intervalMs: 30,
      maxLeavesPerHead: 4,
      log: { log: () => undefined, error: (line) => errors.push(line) },
      onSigned: (head) => signed.push(head),
    });
    closing.push(() => thread.stop());
    const niceBefore = process.platform === 'linux' ? threadNices() : [];
    await thread.start();
    if (process.platform === 'linux') {
      // The keeper's thread alone yields the CPU (nice 10): this thread and the others keep theirs.
      const added = threadNices().filter(([tid]) => !niceBefore.some(([before]) => before === tid));
      expect(added.filter(([, nice]) => nice === KEEPER_NICE)).toHaveLength(1);
      expect(threadNices().filter(([tid]) => niceBefore.some(([before]) => before === tid))).toEqual(niceBefore);
    }
    await append(10);
    for (const deadline = Date.now() + 10_000; (signed.at(-1)?.treeSize ?? 0) < 10 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));

    const leaves: Buffer[] = [];
    for await (const event of events.readAll()) leaves.push(eventLeafHash(event));
    const head = signed.at(-1)!;
    expect(head).toMatchObject({ treeSize: 10, rootHash: rootOf(leaves).toString('hex'), keyId: key.keyId });
    expect(verifyHead(head, key.publicKey)).toBe(true);
    expect(signed.map((h) => h.treeSize)).toEqual(expect.arrayContaining([4, 8, 10])); // at most 4 leaves per head
    const ledger = new SqliteLedgerStore(ledgerFile);
    closing.push(() => ledger.close());
    expect(await ledger.latestHead()).toEqual(head);

    await thread.stop();
    await append(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await ledger.latestHead())?.treeSize).toBe(10);
    expect(errors).toEqual([]);
  }, 30_000);
});
