import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, type RecordedEvent } from '../event-store.port.js';
import { KurrentDbSubscription, type LiveEventSource } from './kurrentdb-subscription.js';

/** Stands in for the client's $all subscription: an object-mode stream of resolved events. */
class FakeServerSubscription extends PassThrough implements LiveEventSource {
  unsubscribed = 0;
  pauses = 0;
  constructor() {
    super({ objectMode: true, highWaterMark: 10_000 });
  }
  override pause(): this {
    this.pauses += 1;
    return super.pause();
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed += 1;
    // What grpc-js does on cancel: the stream errors with an abort.
    setImmediate(() => this.emit('error', Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })));
  }
  send(...positions: number[]): void {
    for (const p of positions) this.write(event(p));
  }
}

function event(position: number): ResolvedEvent {
  return {
    event: {
      streamId: `s-${position}`,
      id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
      revision: 0n,
      type: 'Happened',
      data: { position },
      metadata: {},
      isJson: true,
      created: new Date(),
      position: { commit: BigInt(position), prepare: BigInt(position) },
    },
  } as unknown as ResolvedEvent;
}

function subscribe(source: FakeServerSubscription, after = 0, maxBatchSize = 100) {
  let opened = 0;
  const subscription = new KurrentDbSubscription({
    open: () => {
      opened += 1;
      return source;
    },
    after,
    maxBatchSize,
    toError: (error) => new EventStoreUnavailableError(`mapped: ${(error as Error).message}`),
  });
  return { subscription, opened: () => opened };
}

async function take(iterator: AsyncIterator<RecordedEvent[]>, count: number): Promise<RecordedEvent[][]> {
  const batches: RecordedEvent[][] = [];
  let seen = 0;
  while (seen < count) {
    const { value, done } = await iterator.next();
    if (done) break;
    batches.push(value);
    seen += value.length;
  }
  return batches;
}

const positions = (batches: RecordedEvent[][]) => batches.flat().map((e) => e.position);

describe('KurrentDbSubscription (the $all subscription as batches)', () => {
  it('delivers what the server sends after the checkpoint, in order, as port events', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source, 100);
    const iterator = subscription[Symbol.asyncIterator]();

    source.send(90, 100, 110, 120);
    const batches = await take(iterator, 2);

    expect(positions(batches)).toEqual([110, 120]);
    expect(batches[0][0]).toMatchObject({ streamId: 's-110', revision: 0, type: 'Happened', data: { position: 110 } });
    await subscription.close();
  });

  it('hands out whatever has arrived as one batch, up to maxBatchSize', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source, 0, 3);
    const iterator = subscription[Symbol.asyncIterator]();

    source.send(1, 2, 3, 4, 5);
    const batches = await take(iterator, 5);

    expect(batches.map((b) => b.map((e) => e.position))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await subscription.close();
  });

  it('drops a redelivered position instead of handing it out twice', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source);
    const iterator = subscription[Symbol.asyncIterator]();

    source.send(10, 20, 20, 15, 30);
    const batches = await take(iterator, 3);

    expect(positions(batches)).toEqual([10, 20, 30]);
    await subscription.close();
  });

  it('pauses the server stream while the consumer is behind, and resumes it', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source, 0, 2);
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next();

    source.send(...Array.from({ length: 20 }, (_, i) => i + 1));
    const batches = [(await first).value as RecordedEvent[], ...(await take(iterator, 18))];

    expect(source.pauses).toBeGreaterThan(0);
    expect(positions(batches)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(source.isPaused()).toBe(false);
    await subscription.close();
  });

  it('ends with the mapped error after handing out what arrived before it', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source);
    const iterator = subscription[Symbol.asyncIterator]();
    const first = iterator.next(); // opens the server subscription

    source.send(1, 2);
    await new Promise((resolve) => setImmediate(resolve));
    source.emit('error', new Error('14 UNAVAILABLE: connection reset'));

    expect(positions([(await first).value as RecordedEvent[]])).toEqual([1, 2]);
    await expect(iterator.next()).rejects.toThrow('mapped: 14 UNAVAILABLE: connection reset');
    expect(source.unsubscribed).toBe(1);
  });

  it('ends with EventStoreUnavailableError when the server ends the subscription', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source);
    const iterator = subscription[Symbol.asyncIterator]();

    source.end();

    await expect(iterator.next()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('close() ends a waiting next() with done, unsubscribes, and survives the abort error that follows', async () => {
    const source = new FakeServerSubscription();
    const { subscription } = subscribe(source);
    const iterator = subscription[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));

    await subscription.close();

    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(source.unsubscribed).toBe(1);
    await new Promise((resolve) => setImmediate(resolve)); // the AbortError is emitted now: no crash
    await subscription.close();
    expect(source.unsubscribed).toBe(1);
  });

  it('opens the server subscription only when iterated', async () => {
    const source = new FakeServerSubscription();
    const { subscription, opened } = subscribe(source);

    await subscription.close();
    const { done } = await subscription[Symbol.asyncIterator]().next();

    expect(done).toBe(true);
    expect(opened()).toBe(0);
  });
});
