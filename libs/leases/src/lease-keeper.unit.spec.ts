import { describe, expect, it } from '@jest/globals';
import { InMemoryLeaseStore } from './in-memory-lease-store.js';
import { LeaseKeeper } from './lease-keeper.js';
import type { LeaseStore } from './lease-store.port.js';

const TTL = 9000;
const RENEW = 3000;

/** A lease store that can be made unreachable. */
class FlakyLeaseStore implements LeaseStore {
  down = false;
  constructor(private readonly inner: LeaseStore) {}
  acquire(name: string, owner: string, ttlMs: number) {
    return this.down ? Promise.reject(new Error('MongoDB unreachable')) : this.inner.acquire(name, owner, ttlMs);
  }
  release(name: string, owner: string) {
    return this.down ? Promise.reject(new Error('MongoDB unreachable')) : this.inner.release(name, owner);
  }
  holder(name: string) {
    return this.inner.holder(name);
  }
}

function setup() {
  let now = 1_000_000;
  const clock = () => now;
  const leases = new InMemoryLeaseStore(clock);
  const events: string[] = [];
  const keeper = (owner: string, store: LeaseStore = leases) =>
    new LeaseKeeper({
      store,
      name: 'projection:launch-views',
      owner,
      ttlMs: TTL,
      renewEveryMs: RENEW,
      clock,
      onAcquired: async () => void events.push(`${owner} starts`),
      onLost: async (reason) => void events.push(`${owner} stops: ${reason}`),
    });
  return { leases, events, keeper, advance: (ms: number) => (now += ms) };
}

describe('LeaseKeeper: one projector per projection', () => {
  it("tells an unreachable store from another owner's lease, and forgets the store's error once it answers", async () => {
    const { keeper, leases } = setup();
    const flaky = new FlakyLeaseStore(leases);
    const a = keeper('a', flaky);
    flaky.down = true;
    await a.tick();
    expect([a.held, (a.storeError?.error as Error | undefined)?.message]).toEqual([false, 'MongoDB unreachable']);
    flaky.down = false;
    await keeper('b').tick();
    await a.tick();
    expect([a.held, a.storeError]).toEqual([false, undefined]); // answered: b holds it
  });

  it('runs the work only in the process that took the lease', async () => {
    const { keeper, events, leases } = setup();
    const a = keeper('a');
    const b = keeper('b');
    await a.tick();
    await b.tick();
    await a.tick();
    expect([a.held, b.held]).toEqual([true, false]);
    expect(events).toEqual(['a starts']);
    expect((await leases.holder('projection:launch-views'))?.owner).toBe('a');
  });

  it('keeps the lease while renewing it, well past one ttl', async () => {
    const { keeper, events, advance } = setup();
    const a = keeper('a');
    const b = keeper('b');
    for (let i = 0; i < 10; i++) {
      await a.tick();
      await b.tick();
      advance(RENEW);
    }
    expect([a.held, b.held]).toEqual([true, false]);
    expect(events).toEqual(['a starts']);
  });

  it('hands over when the holder stops renewing (a crash): the other takes it once it expires, the old one stops when it learns', async () => {
    const { keeper, events, advance } = setup();
    const a = keeper('a');
    const b = keeper('b');
    await a.tick();
    advance(TTL - 1);
    await b.tick();
    expect(b.held).toBe(false);
    advance(1);
    await b.tick();
    expect(b.held).toBe(true);
    await a.tick(); // a was paused, not dead: it must stop now
    expect(a.held).toBe(false);
    expect(events).toEqual(['a starts', 'b starts', 'a stops: another process holds it']);
  });

  it('stops the work before the lease runs out when the store cannot be reached, and takes it back later', async () => {
    const { keeper, events, advance, leases } = setup();
    const flaky = new FlakyLeaseStore(leases);
    const a = keeper('a', flaky);
    await a.tick();
    flaky.down = true;
    advance(RENEW);
    await a.tick();
    expect(a.held).toBe(true); // 6 s of the lease left
    advance(RENEW);
    await a.tick();
    expect(a.held).toBe(false); // one renewal period left: stop now, before anyone else may take over
    expect(events).toEqual(['a starts', 'a stops: it could not be renewed before running out: MongoDB unreachable']);
    flaky.down = false;
    await a.tick();
    expect(a.held).toBe(true);
  });

  it('releases the lease on stop, so another process takes it at once', async () => {
    const { keeper, events } = setup();
    const a = keeper('a');
    const b = keeper('b');
    await a.tick();
    await a.stop();
    await b.tick();
    expect(b.held).toBe(true);
    expect(events).toEqual(['a starts', 'a stops: stopping', 'b starts']);
    await a.tick(); // a stopped keeper never takes it again
    expect(a.held).toBe(false);
  });

  it('renews on its own once started, until stopped, then releases', async () => {
    const leases = new InMemoryLeaseStore();
    const calls: string[] = [];
    const counting: LeaseStore = {
      acquire: (name, owner, ttlMs) => (calls.push('acquire'), leases.acquire(name, owner, ttlMs)),
      release: (name, owner) => (calls.push('release'), leases.release(name, owner)),
      holder: (name) => leases.holder(name),
    };
    const started: string[] = [];
    const keeper = new LeaseKeeper({
      store: counting,
      name: 'p',
      owner: 'a',
      ttlMs: 60_000,
      renewEveryMs: 10,
      onAcquired: async () => void started.push('start'),
      onLost: async () => void started.push('stop'),
    });
    keeper.start();
    for (let waited = 0; calls.length < 3 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls.slice(0, 3)).toEqual(['acquire', 'acquire', 'acquire']);
    expect(keeper.held).toBe(true);
    await keeper.stop();
    const after = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.length).toBe(after); // no renewal after stop
    expect(calls.at(-1)).toBe('release');
    expect(await leases.holder('p')).toBeNull();
    expect(started).toEqual(['start', 'stop']);
  });

  it('refuses a renewal period that is not shorter than the ttl', () => {
    const { leases } = setup();
    expect(
      () =>
        new LeaseKeeper({
          store: leases,
          name: 'p',
          owner: 'a',
          ttlMs: 10,
          renewEveryMs: 10,
          onAcquired: async () => undefined,
          onLost: async () => undefined,
        }),
    ).toThrow(RangeError);
  });
});
