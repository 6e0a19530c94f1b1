import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { StreamNotFoundError, WrongExpectedVersionError, type ResolvedEvent } from '@kurrent/kurrentdb-client';
import { BrokenChainError, EventStoreUnavailableError, WrongExpectedRevisionError, type EventToAppend } from '../event-store.port.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { KurrentDbEventStore, type KurrentDbClient } from './kurrentdb-event-store.js';

const SERVER = 'kurrentdb://db.example:2113?tls=false';

interface Stored {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
  offset: number;
}

/**
 * Stands in for the client, with KurrentDB's observable behaviour where the adapter depends on it:
 * positions are growing log offsets (commit = prepare), a forward $all read from a position
 * includes the event at that position, stream reads of a missing stream fail with
 * StreamNotFoundError, and the append reply's position is not the last event's (the adapter must
 * not rely on it).
 */
class FakeKurrentDb {
  readonly log: Stored[] = [];
  readonly calls: Array<{ method: string; options: unknown }> = [];
  unavailable = false;
  hang = false;
  disposed = false;
  private offset = 4096;

  readonly client = {
    appendToStream: async (streamName: string, events: unknown, options?: { streamState?: unknown }) => {
      this.calls.push({ method: 'appendToStream', options });
      this.failIfDown();
      const current = this.revisionOf(streamName);
      const state = options?.streamState;
      // KurrentDB's idempotency: ids already stored right after the expected revision answer success, writing nothing.
      const sent = events as Array<{ id: string }>;
      const start = state === 'no_stream' ? 0 : typeof state === 'bigint' ? Number(state) + 1 : undefined;
      const storedAt = (i: number) => this.log.find((e) => e.streamId === streamName && e.revision === start! + i);
      if (start !== undefined && sent.every((e, i) => storedAt(i)?.id === e.id)) {
        return { success: true, nextExpectedRevision: BigInt(start + sent.length - 1), position: { commit: 1n, prepare: 1n } };
      }
      const ok =
        state === 'any' ||
        (state === 'no_stream' && current === undefined) ||
        (state === 'stream_exists' && current !== undefined) ||
        (typeof state === 'bigint' && current !== undefined && BigInt(current) === state);
      if (!ok) {
        throw new WrongExpectedVersionError(undefined, {
          streamName,
          expected: state as never,
          current: current === undefined ? 'no_stream' : BigInt(current),
        });
      }
      let revision = current ?? -1;
      for (const e of events as Array<{ id: string; type: string; data: unknown; metadata: unknown }>) {
        revision += 1;
        this.offset += 173; // records have different sizes: offsets are neither contiguous nor small
        this.log.push({ streamId: streamName, revision, id: e.id, type: e.type, data: e.data, metadata: e.metadata, offset: this.offset });
      }
      return { success: true, nextExpectedRevision: BigInt(revision), position: { commit: 1n, prepare: 1n } };
    },
    readStream: (streamName: string, options?: { fromRevision?: bigint; maxCount?: number | bigint }) => {
      this.calls.push({ method: 'readStream', options });
      return this.replay(() => {
        const events = this.log.filter((e) => e.streamId === streamName);
        if (events.length === 0) throw new StreamNotFoundError(undefined, streamName);
        return events.filter((e) => BigInt(e.revision) >= (options?.fromRevision ?? 0n)).slice(0, Number(options?.maxCount ?? Infinity));
      });
    },
    readAll: (options?: { fromPosition?: unknown; maxCount?: number | bigint; direction?: string }) => {
      this.calls.push({ method: 'readAll', options });
      return this.replay(() => {
        const max = Number(options?.maxCount ?? Infinity);
        if (options?.direction === 'backwards') return this.log.slice(-max).reverse();
        const from = options?.fromPosition === 'start' ? 0 : Number((options?.fromPosition as { commit: bigint }).commit);
        return this.log.filter((e) => e.offset >= from).slice(0, max);
      });
    },
    subscribeToAll: () => {
      throw new Error('not used here');
    },
    dispose: async () => {
      this.disposed = true;
    },
  } as unknown as KurrentDbClient;

  private failIfDown(): void {
    if (this.unavailable) {
      throw Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 10.0.0.9:2113.'), { code: 14 });
    }
  }

  private revisionOf(streamId: string): number | undefined {
    return this.log.filter((e) => e.streamId === streamId).at(-1)?.revision;
  }

  private async *replay(select: () => Stored[]): AsyncGenerator<ResolvedEvent> {
    if (this.hang) await new Promise(() => undefined);
    this.failIfDown();
    for (const e of select()) {
      const position = { commit: BigInt(e.offset), prepare: BigInt(e.offset) };
      yield {
        event: {
          streamId: e.streamId,
          id: e.id,
          revision: BigInt(e.revision),
          type: e.type,
          data: e.data,
          metadata: e.metadata,
          isJson: true,
          created: new Date(),
          position,
        },
      } as unknown as ResolvedEvent;
    }
  }
}

function open(options: { pingTimeoutMs?: number } = {}) {
  const server = new FakeKurrentDb();
  const store = new KurrentDbEventStore({ connectionString: 'unused', server: SERVER, client: server.client, ...options });
  return { server, store };
}

const someEvents = (count: number): EventToAppend[] =>
  Array.from({ length: count }, (_, i) => ({ eventId: randomUUID(), type: 'Happened', data: { i }, metadata: { n: i } }));

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('KurrentDbEventStore over the client (no server)', () => {
  it('appends with the expected revision as stream state and answers the last event’s position, read back', async () => {
    const { server, store } = open();
    await store.append('s-1', someEvents(2), 'no_stream');

    const result = await store.append('s-1', someEvents(3), 1);

    expect(server.calls.filter((c) => c.method === 'appendToStream').map((c) => (c.options as { streamState: unknown }).streamState)).toEqual([
      'no_stream',
      1n,
    ]);
    expect(result).toEqual({ revision: 4, position: server.log.at(-1)!.offset, divergent: false });
  });

  it('reports a conflict as WrongExpectedRevisionError with the actual revision', async () => {
    const { store } = open();
    await store.append('s-1', someEvents(2), 'no_stream');

    await expect(store.append('s-1', someEvents(1), 0)).rejects.toMatchObject({ name: 'WrongExpectedRevisionError', streamId: 's-1', expected: 0, actual: 1 });
    await expect(store.append('s-2', someEvents(1), 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('reports a server it cannot reach as EventStoreUnavailableError naming the server', async () => {
    const { server, store } = open();
    server.unavailable = true;

    const error = await store.append('s-1', someEvents(1), 'no_stream').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect((error as Error).message).toContain(`KurrentDB at ${SERVER} is unavailable while appending to stream s-1`);
    await expect(toArray(store.readStream('s-1'))).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('reads a stream in ranges, and a stream that does not exist as nothing', async () => {
    const { store } = open();
    await store.append('s-1', someEvents(10), 'no_stream');

    const revisions = async (options: Parameters<KurrentDbEventStore['readStream']>[1]) =>
      (await toArray(store.readStream('s-1', options))).map((e) => e.revision);

    expect(await revisions({ fromRevision: 3, toRevision: 5 })).toEqual([3, 4, 5]);
    expect(await revisions({ fromRevision: 8, maxCount: 5 })).toEqual([8, 9]);
    expect(await revisions({ fromRevision: 6, toRevision: 2 })).toEqual([]);
    expect(await toArray(store.readStream('missing'))).toEqual([]);
  });

  it('reads $all strictly after a position although the server read includes it, and honours maxCount', async () => {
    const { server, store } = open();
    await store.append('a', someEvents(3), 'no_stream');
    await store.append('b', someEvents(3), 'no_stream');
    const [, second, third, fourth] = server.log;

    const after = await toArray(store.readAll({ after: second.offset, maxCount: 2 }));

    expect(after.map((e) => e.position)).toEqual([third.offset, fourth.offset]);
    expect((await toArray(store.readAll())).map((e) => e.position)).toEqual(server.log.map((e) => e.offset));
    const reads = server.calls.filter((c) => c.method === 'readAll').map((c) => c.options as { fromPosition: unknown; filter?: { regex?: string } });
    expect(reads[0].fromPosition).toEqual({ commit: BigInt(second.offset), prepare: BigInt(second.offset) });
    expect(reads[1].fromPosition).toBe('start');
    expect(reads.every((r) => r.filter?.regex !== undefined)).toBe(true); // system events excluded
  });

  it('gives the head position (0 when empty)', async () => {
    const { server, store } = open();
    expect(await store.headPosition()).toBe(0);

    await store.append('a', someEvents(2), 'no_stream');

    expect(await store.headPosition()).toBe(server.log.at(-1)!.offset);
  });

  it('pings: resolves when the server answers, fails with the reason when it does not', async () => {
    const { server, store } = open({ pingTimeoutMs: 50 });
    await expect(store.ping()).resolves.toBeUndefined();

    server.unavailable = true;
    await expect(store.ping()).rejects.toThrow(`KurrentDB at ${SERVER} is unavailable while pinging`);

    server.unavailable = false;
    server.hang = true;
    await expect(store.ping()).rejects.toThrow(`KurrentDB at ${SERVER} did not answer within 50 ms`);
  });

  it('says divergent when a repeat of known ids finds other content stored, and writes nothing', async () => {
    const { server, store } = open();
    const first = someEvents(2);
    const original = await store.append('s-1', first, 'no_stream');

    const exact = await store.append('s-1', first, 'no_stream');
    const rival = await store.append(
      's-1',
      first.map((e) => ({ ...e, data: { other: true } })),
      'no_stream',
    );

    expect(exact).toEqual(original);
    expect(rival).toEqual({ ...original, divergent: true });
    expect(server.log).toHaveLength(2);
  });

  it('refuses an event whose prevHash does not link to the head it expects, before appending', async () => {
    const { server, store } = open();
    const linked = (prevHash: string, hash: string): EventToAppend => ({ eventId: randomUUID(), type: 'Linked', data: {}, metadata: { prevHash, hash } });
    await store.append('s-1', [linked(GENESIS_HASH, 'a'.repeat(64))], 'no_stream');

    await expect(store.append('s-1', [linked('b'.repeat(64), 'c'.repeat(64))], 0)).rejects.toBeInstanceOf(BrokenChainError);
    await expect(store.append('s-2', [linked('a'.repeat(64), 'c'.repeat(64))], 'no_stream')).rejects.toBeInstanceOf(BrokenChainError);
    await store.append('s-1', [linked('a'.repeat(64), 'c'.repeat(64))], 0);
    expect(server.log.map((e) => e.streamId)).toEqual(['s-1', 's-1']);
  });

  it('close() releases the client; afterwards calls fail as unavailable', async () => {
    const { server, store } = open();

    await store.close();

    expect(server.disposed).toBe(true);
    await expect(store.append('s', someEvents(1), 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
