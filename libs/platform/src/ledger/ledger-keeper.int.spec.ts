import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chain, chainWithText, SqliteEventStore, type EventToAppend } from '#event-store';
import { eventLeafHash, eventMac, keyIdOf, macKeyOf, MAC_FIELD, rootOf, sealEvent, verifyHead } from '#ledger';
import { AppendedLeaves } from './appended-leaves.js';
import type { LedgerKey } from './ledger-key-file.js';
import { LedgerKeeper } from './ledger-keeper.js';
import { SqliteLedgerStore } from './sqlite-ledger-store.js';

function keyPair(adoptedThrough = 0): LedgerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), macKey: macKeyOf(privateKey), adoptedThrough };
}

const quiet = { log: () => undefined, error: () => undefined };
const HAND_OVER_MS = 1;

describe('LedgerKeeper on the embedded stores', () => {
  let dir: string;
  let events: SqliteEventStore;
  const ledgers: SqliteLedgerStore[] = [];
  const key = keyPair();

  const ledger = () => {
    const store = new SqliteLedgerStore(join(dir, 'ledger.sqlite'));
    ledgers.push(store);
    return store;
  };
  const keeper = (store = ledger(), options: Partial<ConstructorParameters<typeof LedgerKeeper>[3]> = {}) =>
    new LedgerKeeper(events, store, key, { log: quiet, maxLeavesPerHead: 7, ...options });

  /** Appends `count` events to a stream the way the server does: chained and MACed. */
  async function append(streamId: string, count: number, macKey: Buffer | null = key.macKey): Promise<void> {
    let revision = -1;
    let prevHash = '0'.repeat(64);
    for await (const e of events.readStream(streamId)) [revision, prevHash] = [e.revision, String(e.metadata.hash)];
    const expected = revision < 0 ? 'no_stream' : revision;
    const batch: EventToAppend[] = [];
    for (let i = 0; i < count; i++) {
      revision++;
      const eventId = randomUUID();
      const base = { actor: { id: 'p', name: 'P' }, n: i };
      const data = { i };
      const metadata = chain({ streamId, revision, type: 'T', data, metadata: base }, prevHash);
      if (macKey) metadata[MAC_FIELD] = eventMac(macKey, eventId, String(metadata.hash));
      prevHash = String(metadata.hash);
      batch.push({ eventId, type: 'T', data, metadata });
    }
    await events.append(streamId, batch, expected);
  }

  /** Appends `count` events to a new stream as the API does (sealEvent), handing their leaves over as it does. */
  async function appendSealed(streamId: string, count: number, handOver: AppendedLeaves): Promise<Buffer[]> {
    let prevHash = '0'.repeat(64);
    const batch: EventToAppend[] = [];
    const leaves: Buffer[] = [];
    for (let revision = 0; revision < count; revision++) {
      const data = { revision, note: 'confirmed "as is"', nested: { z: 1, a: [2, null] } };
      const { metadata, text } = chainWithText({ streamId, revision, type: 'T', data, metadata: { actor: { id: 'p' }, occurredAt: 'now' } }, prevHash);
      const event = { eventId: randomUUID(), type: 'T', data, metadata };
      leaves.push(sealEvent(key.macKey, event, text));
      prevHash = String(metadata.hash);
      batch.push(event);
    }
    const { firstPosition } = await events.append(streamId, batch, 'no_stream');
    handOver.appended(firstPosition!, leaves);
    await new Promise((resolve) => setTimeout(resolve, HAND_OVER_MS));
    return leaves;
  }

  const allLeaves = async () => {
    const leaves: Buffer[] = [];
    for await (const e of events.readAll()) leaves.push(eventLeafHash(e));
    return leaves;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-keeper-'));
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    for (const store of ledgers.splice(0)) await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs an empty head first, then heads of at most maxLeavesPerHead events, whose roots are the log's", async () => {
    const store = ledger();
    expect(await keeper(store).step()).toBe('idle');
    expect(await store.latestHead()).toMatchObject({ treeSize: 0 });
    await append('s-1', 10);
    await append('s-2', 5);
    const k = keeper(store);
    expect(await k.step()).toBe('extended');
    expect((await store.latestHead())!.treeSize).toBe(7);
    while ((await k.step()) === 'extended');
    const head = (await store.latestHead())!;
    expect(head.treeSize).toBe(15);
    expect(head.rootHash).toBe(rootOf(await allLeaves()).toString('hex'));
    expect(verifyHead(head, key.publicKey)).toBe(true);
  });

  it('stores an extension of hundreds of leaves (inserted a hundred rows per statement) so the next one grows the same tree', async () => {
    const store = ledger();
    const k = keeper(store, { maxLeavesPerHead: 1000 });
    for (let stream = 0; stream < 3; stream++) await append(`big-${stream}`, 90);
    expect(await k.step()).toBe('idle');
    await append('big-0', 5);
    expect(await k.step()).toBe('idle');
    const head = (await store.latestHead())!;
    expect(head.treeSize).toBe(275);
    expect(head.rootHash).toBe(rootOf(await allLeaves()).toString('hex'));
  });

  it('lets several keepers race on one tree without diverging (each extension lands only on its own size)', async () => {
    const keepers = Array.from({ length: 4 }, () => keeper());
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round++) {
      await append(`s-${round % 3}`, 1 + (round % 4));
      outcomes.push(...(await Promise.all(keepers.map((k) => k.step()))));
    }
    for (;;) if ((await Promise.all(keepers.map((k) => k.step()))).every((o) => o !== 'extended')) break;
    expect(outcomes).toContain('lost-race');
    const head = (await ledgers[0].latestHead())!;
    const leaves = await allLeaves();
    expect(head.treeSize).toBe(leaves.length);
    expect(head.rootHash).toBe(rootOf(leaves).toString('hex'));
    expect(keepers.every((k) => k.fault === undefined)).toBe(true);
  });

  it('grows on from the tree it wrote itself without reading it back, and from the store once another keeper extended it', async () => {
    const [storeA, storeB] = [ledger(), ledger()];
    const [a, b] = [keeper(storeA), keeper(storeB)];
    const reads = jest.spyOn(storeA, 'state');
    await append('s-1', 5);
    expect(await a.step()).toBe('idle');
    await append('s-2', 4);
    expect(await a.step()).toBe('idle');
    expect(reads).toHaveBeenCalledTimes(1);
    await append('s-1', 3);
    expect(await b.step()).toBe('idle');
    await append('s-3', 2);
    expect(await a.step()).toBe('idle');
    expect(reads).toHaveBeenCalledTimes(2);
    const head = (await storeA.latestHead())!;
    expect(head.treeSize).toBe(14);
    expect(head.rootHash).toBe(rootOf(await allLeaves()).toString('hex'));
  });

  it("stops before an event without the server's MAC and reports it, signing nothing over it", async () => {
    const k = keeper(ledger(), { maxLeavesPerHead: 100 });
    await append('s-1', 3);
    await append('s-1', 1, macKeyOf(generateKeyPairSync('ed25519').privateKey));
    await append('s-1', 2);
    expect(await k.step()).toBe('fault');
    expect(k.fault).toMatch(/^unauthenticated event at leaf 3 \(position 4, stream s-1 revision 3\)/);
    expect((await ledgers[0].latestHead())!.treeSize).toBe(3);
    expect(await k.step()).toBe('fault');
    expect((await ledgers[0].latestHead())!.treeSize).toBe(3);
  });

  it('takes events from before the key as they are (adopted), and no later one without a MAC', async () => {
    await append('old', 3, null);
    const adopting = new LedgerKeeper(events, ledger(), { ...key, adoptedThrough: 3 }, { log: quiet });
    expect(await adopting.step()).toBe('idle');
    expect((await ledgers[0].latestHead())!.treeSize).toBe(3);
    await append('old', 1, null);
    expect(await adopting.step()).toBe('fault');
    expect(adopting.fault).toMatch(/unauthenticated event at leaf 3/);
  });

  it('notices that the event under the last leaf was removed after it was signed', async () => {
    const k = keeper(ledger(), { maxLeavesPerHead: 100 });
    await append('s-1', 4);
    await k.step();
    await events.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(dir, 'events.sqlite'));
    db.prepare('DELETE FROM events WHERE position = 4').run();
    db.close();
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const reopened = new LedgerKeeper(events, ledgers[0], key, { log: quiet });
    expect(await reopened.step()).toBe('fault');
    expect(reopened.fault).toMatch(/event under leaf 3 \(position 4\) was changed or removed/);
  });

  it("takes the leaves its process handed over as appended (equal to the stored events' leaves), checking every other event in full", async () => {
    const k = keeper(ledger(), { maxLeavesPerHead: 100 });
    const handOver = new AppendedLeaves(HAND_OVER_MS);
    handOver.attach((batch) => k.accept(batch));
    await append('first', 1);
    expect(await k.step()).toBe('idle');
    const handed = [...(await appendSealed('s-1', 3, handOver)), ...(await appendSealed('s-2', 2, handOver))];
    expect(await k.step()).toBe('idle');
    const head = (await ledgers[0].latestHead())!;
    expect(head.treeSize).toBe(6);
    expect(head.rootHash).toBe(rootOf(await allLeaves()).toString('hex'));
    expect((await allLeaves()).slice(1)).toEqual(handed);

    // Another writer's event between handed ones is read and checked: unauthenticated, the tree stops before it.
    await appendSealed('s-3', 1, handOver);
    await append('s-1', 1, macKeyOf(generateKeyPairSync('ed25519').privateKey));
    await appendSealed('s-4', 1, handOver);
    expect(await k.step()).toBe('idle'); // the handed run ends at the event not handed
    expect(await k.step()).toBe('fault');
    expect(k.fault).toMatch(/^unauthenticated event at leaf 7 \(position 8, stream s-1 revision 3\)/);
    expect((await ledgers[0].latestHead())!.treeSize).toBe(7);
  });

  it('signs a handed event as the server appended it, so an edit of the file before the keeper got to it shows in the audit, not in the tree', async () => {
    const k = keeper(ledger(), { maxLeavesPerHead: 100 });
    const handOver = new AppendedLeaves(HAND_OVER_MS);
    handOver.attach((batch) => k.accept(batch));
    await append('first', 1);
    await k.step();
    const handed = await appendSealed('s-1', 2, handOver);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(dir, 'events.sqlite'));
    db.prepare(`UPDATE events SET data = json_set(data, '$.note', 'rewritten') WHERE position = 3`).run();
    db.close();
    expect(await k.step()).toBe('idle');
    const [first, ...stored] = await allLeaves();
    expect((await ledgers[0].latestHead())!.rootHash).toBe(rootOf([first, ...handed]).toString('hex'));
    expect(stored[1].equals(handed[1])).toBe(false);
  });
});
