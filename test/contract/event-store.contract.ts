/**
 * The EventStore contract: one suite, written against the port, run against every adapter.
 *
 * It must hold on a store shared with other tests (a KurrentDB server): every test uses its own
 * fresh stream ids, never assumes absolute positions (only their order), and filters $all and
 * subscriptions down to its own streams.
 *
 * Positions are only ever compared, never computed: they need not start at 1 nor be contiguous,
 * and `after` is always 0 or a position the store handed out (KurrentDB can read $all only from
 * the start of a record, so `position - 1` is not a place it can read from).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  BrokenChainError,
  GENESIS_HASH,
  WrongExpectedRevisionError,
  type EventStore,
  type EventSubscription,
  type EventToAppend,
  type RecordedEvent,
} from '#event-store';

export interface OpenedEventStore {
  store: EventStore;
  /** Opens the same store again (after `store.close()`), to check durability. */
  reopen?: () => Promise<EventStore>;
  /** Closes every store handed out (close is idempotent) and removes what the test created. */
  cleanup: () => Promise<void>;
}

export function eventStoreContract(adapterName: string, open: () => Promise<OpenedEventStore>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let opened: OpenedEventStore;
    let store: EventStore;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    describe('append', () => {
      it('creates a stream with no_stream: revisions 0..n-1, the result names the last event', async () => {
        const streamId = newStreamId();
        const events = someEvents(3);

        const result = await store.append(streamId, events, 'no_stream');

        const stored = await toArray(store.readStream(streamId));
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(stored.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(stored.map((e) => e.type)).toEqual(events.map((e) => e.type));
        expect(stored.map((e) => e.data)).toEqual(events.map((e) => e.data));
        expect(stored.map((e) => e.metadata)).toEqual(events.map((e) => e.metadata));
        expect(stored.every((e) => e.streamId === streamId)).toBe(true);
        expectStrictlyIncreasing(stored.map((e) => e.position));
        expect(result).toMatchObject({ revision: 2, position: stored[2].position });
        // Optional: only adapters whose positions are contiguous within an append report the first.
        if (result.firstPosition !== undefined) expect(result.firstPosition).toBe(stored[0].position);
      });

      it('records when: recordedAt is an ISO-8601 instant of the append', async () => {
        const before = Date.now();
        const streamId = newStreamId();
        await store.append(streamId, someEvents(1), 'no_stream');
        const after = Date.now();

        const [event] = await toArray(store.readStream(streamId));
        expect(event.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
        const recordedAt = Date.parse(event.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
        expect(recordedAt).toBeLessThanOrEqual(after + 1000);
      });

      it('continues a stream from its revision, and positions increase across streams', async () => {
        const a = newStreamId();
        const b = newStreamId();

        const r1 = await store.append(a, someEvents(2), 'no_stream');
        const r2 = await store.append(b, someEvents(1), 'no_stream');
        const r3 = await store.append(a, someEvents(2), 1);
        const r4 = await store.append(b, someEvents(1), 0);

        expect([r1.revision, r2.revision, r3.revision, r4.revision]).toEqual([1, 0, 3, 1]);
        expectStrictlyIncreasing([r1.position, r2.position, r3.position, r4.position]);
        const streamA = await toArray(store.readStream(a));
        expect(streamA.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
        expectStrictlyIncreasing(streamA.map((e) => e.position));
        expect(streamA[3].position).toBe(r3.position);
        expect(streamA[1].position).toBeLessThan(r2.position);
        expect(streamA[2].position).toBeGreaterThan(r2.position);
      });

      it('accepts any on a new and on an existing stream, stream_exists only on an existing one', async () => {
        const streamId = newStreamId();

        expect((await store.append(streamId, someEvents(1), 'any')).revision).toBe(0);
        expect((await store.append(streamId, someEvents(1), 'any')).revision).toBe(1);
        expect((await store.append(streamId, someEvents(2), 'stream_exists')).revision).toBe(3);
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2, 3]);
      });
    });

    describe('optimistic concurrency', () => {
      it('rejects a wrong expected revision with WrongExpectedRevisionError and writes nothing', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(2), 'no_stream');

        const error = await rejectionOf(store.append(streamId, someEvents(1), 0));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 0, actual: 1 });
        expect(await revisionsOf(streamId)).toEqual([0, 1]);
      });

      it('rejects an expected revision ahead of the stream', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(1), 'no_stream');

        const error = await rejectionOf(store.append(streamId, someEvents(1), 5));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 5, actual: 0 });
        expect(await revisionsOf(streamId)).toEqual([0]);
      });

      it('rejects no_stream on an existing stream', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(3), 'no_stream');

        const error = await rejectionOf(store.append(streamId, someEvents(1), 'no_stream'));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 2 });
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2]);
      });

      it('rejects stream_exists and a numeric revision on a missing stream', async () => {
        const streamId = newStreamId();

        const notExisting = await rejectionOf(store.append(streamId, someEvents(1), 'stream_exists'));
        const numeric = await rejectionOf(store.append(streamId, someEvents(1), 0));

        expect(notExisting).toBeInstanceOf(WrongExpectedRevisionError);
        expect(notExisting).toMatchObject({ streamId, expected: 'stream_exists', actual: 'no_stream' });
        expect(numeric).toBeInstanceOf(WrongExpectedRevisionError);
        expect(numeric).toMatchObject({ streamId, expected: 0, actual: 'no_stream' });
        expect(await toArray(store.readStream(streamId))).toEqual([]);
      });

      it('lets exactly one of two concurrent appends with the same expected revision win', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(1), 'no_stream');
        const first = someEvents(2);
        const second = someEvents(2);

        const outcomes = await Promise.allSettled([store.append(streamId, first, 0), store.append(streamId, second, 0)]);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        const winner = outcomes[0].status === 'fulfilled' ? first : second;
        const stored = await toArray(store.readStream(streamId));
        expect(stored.map((e) => e.eventId).slice(1)).toEqual(winner.map((e) => e.eventId));
        expect(stored.map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it('lets concurrent appends to different streams all succeed, each with its own position', async () => {
        const streams = Array.from({ length: 25 }, () => newStreamId());

        const results = await Promise.all(streams.map((s) => store.append(s, someEvents(2), 'no_stream')));

        expect(results.map((r) => r.revision)).toEqual(streams.map(() => 1));
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        for (const [i, streamId] of streams.entries()) {
          const stored = await toArray(store.readStream(streamId));
          expect(stored.map((e) => e.revision)).toEqual([0, 1]);
          expect(stored[1].position).toBe(results[i].position);
        }
      });

      it('keeps every event of a batch together or none (a rejected batch leaves no trace)', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        await store.append(streamId, someEvents(1), 'no_stream');
        const rejected = someEvents(5);

        await expect(store.append(streamId, rejected, 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);

        const ids = new Set(rejected.map((e) => e.eventId));
        const everything = await toArray(store.readAll({ after: before }));
        expect(everything.filter((e) => ids.has(e.eventId))).toEqual([]);
      });
    });

    describe('idempotent append', () => {
      it('returns the original result and writes nothing when the same event ids are appended again', async () => {
        const streamId = newStreamId();
        const events = someEvents(3);
        const original = await store.append(streamId, events, 'no_stream');

        const again = await store.append(streamId, events, 'no_stream');

        expect(again).toEqual(original);
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2]);
      });

      it('recognises a repeat of a batch in the middle of a stream, with its numeric or any expected revision', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(2), 'no_stream');
        const middle = someEvents(2);
        const original = await store.append(streamId, middle, 1);
        await store.append(streamId, someEvents(1), 3);

        expect(await store.append(streamId, middle, 1)).toEqual(original);
        expect(await store.append(streamId, middle, 'any')).toEqual(original);
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2, 3, 4]);
      });

      it('says when the ids were stored with other content (another writer decided first), and writes nothing', async () => {
        const streamId = newStreamId();
        const first = someEvents(2);
        const original = await store.append(streamId, first, 'no_stream');
        expect(original.divergent).toBe(false);
        const rival = first.map((event) => ({ ...event, data: { ...event.data, decidedBy: 'another writer' } }));

        const again = await store.append(streamId, rival, 'no_stream');

        expect(again).toMatchObject({ revision: original.revision, position: original.position, divergent: true });
        const stored = await toArray(store.readStream(streamId));
        expect(stored.map((e) => e.data)).toEqual(first.map((e) => e.data));
      });
    });

    describe('beforeWrite (the ledger seals events as they are written)', () => {
      it('calls it once per append, before the write, and stores the metadata it sets', async () => {
        const streamId = newStreamId();
        const events = someEvents(2);
        const seen: string[][] = [];
        const beforeWrite = (toWrite: EventToAppend[]) => {
          seen.push(toWrite.map((e) => e.eventId));
          for (const event of toWrite) event.metadata.mac = `sealed:${event.eventId}`;
        };

        await store.append(streamId, events, 'no_stream', { beforeWrite });

        expect(seen).toEqual([events.map((e) => e.eventId)]);
        const stored = await toArray(store.readStream(streamId));
        expect(stored.map((e) => e.metadata.mac)).toEqual(events.map((e) => `sealed:${e.eventId}`));
      });

      it('fails only its own append when it throws, writing nothing of it', async () => {
        const failing = newStreamId();
        const other = newStreamId();
        const refusal = new Error('the sealing key is gone');

        const [refused, written] = await Promise.allSettled([
          store.append(failing, someEvents(2), 'no_stream', {
            beforeWrite: () => {
              throw refusal;
            },
          }),
          store.append(other, someEvents(1), 'no_stream'),
        ]);

        expect(refused).toEqual({ status: 'rejected', reason: refusal });
        expect(written.status).toBe('fulfilled');
        expect(await revisionsOf(failing)).toEqual([]);
        expect(await revisionsOf(other)).toEqual([0]);
      });
    });

    describe('hash chain links', () => {
      const linked = (prevHash: string, hash: string): EventToAppend => ({
        eventId: randomUUID(),
        type: 'Linked',
        data: {},
        metadata: { prevHash, hash },
      });

      it('appends events whose prevHash links to the stored head, or to the event before them', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [linked(GENESIS_HASH, 'a'.repeat(64)), linked('a'.repeat(64), 'b'.repeat(64))], 'no_stream');
        await store.append(streamId, [linked('b'.repeat(64), 'c'.repeat(64))], 1);
        expect(await revisionsOf(streamId)).toEqual([0, 1, 2]);
      });

      it('refuses an event that does not link to the stored head, writing nothing (BrokenChainError)', async () => {
        const streamId = newStreamId();
        await store.append(streamId, [linked(GENESIS_HASH, 'a'.repeat(64))], 'no_stream');

        await expect(store.append(streamId, [linked('f'.repeat(64), 'b'.repeat(64))], 0)).rejects.toBeInstanceOf(BrokenChainError);
        await expect(store.append(newStreamId(), [linked('a'.repeat(64), 'b'.repeat(64))], 'no_stream')).rejects.toBeInstanceOf(BrokenChainError);
        await expect(store.append(streamId, [linked('a'.repeat(64), 'b'.repeat(64)), linked('e'.repeat(64), 'c'.repeat(64))], 0)).rejects.toBeInstanceOf(
          BrokenChainError,
        );
        expect(await revisionsOf(streamId)).toEqual([0]);
      });
    });

    describe('readStream', () => {
      it('yields nothing for a stream that does not exist', async () => {
        expect(await toArray(store.readStream(newStreamId()))).toEqual([]);
      });

      it('reads ranges: fromRevision and toRevision inclusive, maxCount', async () => {
        const streamId = newStreamId();
        await store.append(streamId, someEvents(10), 'no_stream');

        expect(await revisionsOf(streamId, { fromRevision: 4 })).toEqual([4, 5, 6, 7, 8, 9]);
        expect(await revisionsOf(streamId, { toRevision: 2 })).toEqual([0, 1, 2]);
        expect(await revisionsOf(streamId, { fromRevision: 3, toRevision: 5 })).toEqual([3, 4, 5]);
        expect(await revisionsOf(streamId, { maxCount: 2 })).toEqual([0, 1]);
        expect(await revisionsOf(streamId, { fromRevision: 8, maxCount: 5 })).toEqual([8, 9]);
        expect(await revisionsOf(streamId, { fromRevision: 2, toRevision: 8, maxCount: 3 })).toEqual([2, 3, 4]);
        expect(await revisionsOf(streamId, { fromRevision: 10 })).toEqual([]);
        expect(await revisionsOf(streamId, { fromRevision: 6, toRevision: 6 })).toEqual([6]);
      });

      it('reads only the asked stream, in revision order', async () => {
        const a = newStreamId();
        const b = newStreamId();
        await store.append(a, someEvents(1), 'no_stream');
        await store.append(b, someEvents(1), 'no_stream');
        await store.append(a, someEvents(1), 0);

        const stored = await toArray(store.readStream(a));
        expect(stored.map((e) => [e.streamId, e.revision])).toEqual([
          [a, 0],
          [a, 1],
        ]);
      });
    });

    describe('readAll', () => {
      it('reads every stream in position order; after is exclusive; maxCount limits', async () => {
        const a = newStreamId();
        const b = newStreamId();
        const before = await store.headPosition();
        const r1 = await store.append(a, someEvents(2), 'no_stream');
        await store.append(b, someEvents(2), 'no_stream');
        await store.append(a, someEvents(1), 1);
        const ours = (events: RecordedEvent[]) => events.filter((e) => e.streamId === a || e.streamId === b).map((e) => [e.streamId, e.revision]);

        const all = await toArray(store.readAll({ after: before }));
        expect(all.every((e) => e.position > before)).toBe(true);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(ours(all)).toEqual([
          [a, 0],
          [a, 1],
          [b, 0],
          [b, 1],
          [a, 2],
        ]);

        const afterFirstBatch = await toArray(store.readAll({ after: r1.position }));
        expect(afterFirstBatch.every((e) => e.position > r1.position)).toBe(true);
        expect(ours(afterFirstBatch)).toEqual([
          [b, 0],
          [b, 1],
          [a, 2],
        ]);

        // Events appended by others meanwhile come after ours, so what follows a's first event is fixed.
        const firstOfA = all.findIndex((e) => e.streamId === a);
        const limited = await toArray(store.readAll({ after: all[firstOfA].position, maxCount: 2 }));
        expect(limited).toHaveLength(2);
        expect(limited).toEqual(all.slice(firstOfA + 1, firstOfA + 3));
      });

      it('finds the position before any position: the after that reads from it on', async () => {
        const streamId = newStreamId();
        const before = await store.headPosition();
        await store.append(streamId, someEvents(3), 'no_stream');
        const ours = (await toArray(store.readAll({ after: before }))).filter((e) => e.streamId === streamId);
        const [p1, p2, p3] = ours.map((e) => e.position);
        expect(await store.positionBefore(p2)).toBe(p1);
        expect(await store.positionBefore(p3)).toBe(p2);
        expect(await store.positionBefore(p3 + 1)).toBe(p3);
        expect(await store.positionBefore(p1)).toBeLessThanOrEqual(before);
        const fromSecond = await toArray(store.readAll({ after: await store.positionBefore(p2), maxCount: 2 }));
        expect(fromSecond.map((e) => [e.streamId, e.revision])).toEqual([
          [streamId, 1],
          [streamId, 2],
        ]);
        expect(await store.positionBefore(1)).toBe(0);
      });

      it('reports the head position: the position of the last event', async () => {
        const streamId = newStreamId();
        const { position } = await store.append(streamId, someEvents(2), 'no_stream');

        const head = await store.headPosition();

        // Another writer may share the store: the head is our last event or one appended after it.
        expect(head).toBeGreaterThanOrEqual(position);
        const later = await toArray(store.readAll({ after: position }));
        expect([position, ...later.map((e) => e.position)]).toContain(head);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a checkpoint, then delivers new appends live, in order and without duplicates', async () => {
        const streamId = newStreamId();
        const stored = await store.append(streamId, someEvents(3), 'no_stream');
        const [first] = await toArray(store.readStream(streamId, { maxCount: 1 }));
        const probe = new SubscriptionProbe(store.subscribeToAll({ after: first.position }), (e) => e.streamId === streamId);

        await probe.until(2);
        expect(probe.revisions()).toEqual([1, 2]);

        await store.append(streamId, someEvents(2), stored.revision);
        await store.append(streamId, someEvents(1), stored.revision + 2);
        await probe.until(5);
        await sleep(100);
        await probe.close();

        expect(probe.revisions()).toEqual([1, 2, 3, 4, 5]);
        expectStrictlyIncreasing(probe.allPositions());
      });

      it('delivers events of concurrent appends to many streams, each exactly once, in position order', async () => {
        const streams = Array.from({ length: 10 }, () => newStreamId());
        const own = new Set(streams);
        const probe = new SubscriptionProbe(store.subscribeToAll({ after: await store.headPosition(), maxBatchSize: 3 }), (e) => own.has(e.streamId));

        await Promise.all(streams.map((s) => store.append(s, someEvents(2), 'no_stream')));
        await probe.until(20);
        await sleep(100);
        await probe.close();

        expect(probe.events).toHaveLength(20);
        expectStrictlyIncreasing(probe.events.map((e) => e.position));
        expect(new Set(probe.events.map((e) => e.eventId)).size).toBe(20);
        expect(probe.largestBatch).toBeLessThanOrEqual(3);
      });

      it('serves several subscriptions at once', async () => {
        const streamId = newStreamId();
        const head = await store.headPosition();
        const one = new SubscriptionProbe(store.subscribeToAll({ after: head }), (e) => e.streamId === streamId);
        const two = new SubscriptionProbe(store.subscribeToAll({ after: head }), (e) => e.streamId === streamId);

        await store.append(streamId, someEvents(2), 'no_stream');
        await Promise.all([one.until(2), two.until(2)]);
        await Promise.all([one.close(), two.close()]);

        expect(one.revisions()).toEqual([0, 1]);
        expect(two.revisions()).toEqual([0, 1]);
      });

      it('ends the iteration promptly on close(), also while waiting for new events', async () => {
        const subscription = store.subscribeToAll({ after: await store.headPosition() });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await sleep(50);

        const started = Date.now();
        await subscription.close();

        await expect(withTimeout(pending, 2000, 'pending next() after close()')).resolves.toEqual({
          done: true,
          value: undefined,
        });
        expect(Date.now() - started).toBeLessThan(2000);
      });
    });

    describe('data', () => {
      it('round-trips JSON data and metadata exactly: unicode, nesting, numbers, null, booleans', async () => {
        const streamId = newStreamId();
        const data = {
          text: 'Grüße, 東京, emoji 🚀👩‍🚀, rtl שלום, quotes "\' \\ /, control \n\t\u0000',
          nested: { list: [1, 'two', { three: [null, true, false] }], empty: {}, emptyList: [] },
          numbers: { int: 42, negative: -7, float: 3.141592653589793, small: 1e-12, big: 9007199254740991 },
          nothing: null,
          'key with spaces & ünïcödé': 'ok',
        };
        const metadata = { actor: { id: randomUUID(), role: 'launch-manager' }, correlationId: randomUUID(), hash: 'ab'.repeat(32) };

        const before = await store.headPosition();
        await store.append(streamId, [{ eventId: randomUUID(), type: 'Unicode✓Type', data, metadata }], 'no_stream');

        const [event] = await toArray(store.readStream(streamId));
        expect(event.type).toBe('Unicode✓Type');
        expect(event.data).toStrictEqual(data);
        expect(event.metadata).toStrictEqual(metadata);
        const viaAll = (await toArray(store.readAll({ after: before }))).find((e) => e.eventId === event.eventId);
        expect(viaAll?.data).toStrictEqual(data);
        expect(viaAll?.metadata).toStrictEqual(metadata);
      });
    });

    describe('availability and durability', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('keeps appended events across close and reopen', async () => {
        if (!opened.reopen) {
          // Nothing to reopen (the adapter talks to a server); closing must still succeed.
          await expect(store.close()).resolves.toBeUndefined();
          return;
        }
        const streamId = newStreamId();
        const events = someEvents(3);
        const result = await store.append(streamId, events, 'no_stream');
        await store.close();

        const reopened = await opened.reopen();

        const stored = await toArray(reopened.readStream(streamId));
        expect(stored.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(stored.map((e) => e.data)).toEqual(events.map((e) => e.data));
        expect(stored[2].position).toBe(result.position);
        expect(await reopened.headPosition()).toBeGreaterThanOrEqual(result.position);
        expect((await reopened.append(streamId, someEvents(1), 2)).revision).toBe(3);
      });
    });

    async function revisionsOf(streamId: string, options?: Parameters<EventStore['readStream']>[1]): Promise<number[]> {
      return (await toArray(store.readStream(streamId, options))).map((e) => e.revision);
    }
  });
}

// ---------------------------------------------------------------------------------------------

let streamCounter = 0;

function newStreamId(): string {
  streamCounter += 1;
  return `contract-${streamCounter}-${randomUUID()}`;
}

function someEvents(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(),
    type: i % 2 === 0 ? 'SomethingHappened' : 'SomethingElseHappened',
    data: { index: i, label: `event ${i}`, tags: ['a', 'b'] },
    metadata: { correlationId: randomUUID(), occurredAt: new Date().toISOString() },
  }));
}

async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

function expectStrictlyIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) {
      throw new Error(`not strictly increasing at index ${i}: ${values.join(', ')}`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Consumes a subscription in the background, keeping the events the test cares about. */
class SubscriptionProbe {
  readonly events: RecordedEvent[] = [];
  largestBatch = 0;
  private readonly ended: Promise<void>;

  constructor(
    private readonly subscription: EventSubscription,
    keep: (event: RecordedEvent) => boolean,
  ) {
    this.ended = (async () => {
      for await (const batch of subscription) {
        this.largestBatch = Math.max(this.largestBatch, batch.length);
        this.events.push(...batch.filter(keep));
      }
    })();
    // Surface iteration errors in until()/close(), not as an unhandled rejection.
    this.ended.catch(() => undefined);
  }

  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }

  allPositions(): number[] {
    return this.events.map((e) => e.position);
  }

  async until(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const stopped = await Promise.race([this.ended.then(() => true), sleep(10).then(() => false)]);
      if (stopped) throw new Error(`subscription ended after ${this.events.length} of ${count} events`);
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${count} events; got ${this.events.length}`);
      }
    }
  }

  /** Closes the subscription and checks that the iteration ends promptly and cleanly. */
  async close(): Promise<void> {
    await this.subscription.close();
    await withTimeout(this.ended, 2000, 'the subscription to end after close()');
  }
}
