import { describe, expect, it } from '@jest/globals';
import { InMemoryLeaseStore } from '#leases';
import { DigestSchedule } from './digest-schedule.js';

const quiet = { log: () => undefined, warn: () => undefined };
const until = async (probe: () => boolean, timeoutMs = 2000) => {
  const deadline = Date.now() + timeoutMs;
  while (!probe() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('the daily digest schedule under the daily-digest lease', () => {
  it('runs only in the instance holding the lease, once DIGEST_TIME has passed, once a day', async () => {
    const store = new InMemoryLeaseStore();
    let now = new Date('2027-03-10T06:59:00Z');
    const runs: Array<[string, string]> = [];
    const schedule = (owner: string) =>
      new DigestSchedule({
        config: { time: { hour: 7, minute: 0 }, timezone: 'UTC' },
        leases: { store, owner, ttlMs: 300 },
        run: async (at) => void runs.push([owner, at.toISOString()]),
        checkEveryMs: 10,
        clock: () => now,
        logger: quiet,
      });
    const [a, b] = [schedule('a'), schedule('b')];
    a.start();
    await until(() => false, 50);
    b.start();
    try {
      await until(() => false, 60);
      expect(runs).toEqual([]); // 06:59: not yet
      now = new Date('2027-03-10T07:00:00Z');
      await until(() => runs.length > 0);
      await until(() => false, 60);
      expect(runs).toEqual([['a', '2027-03-10T07:00:00.000Z']]);
      now = new Date('2027-03-11T07:05:00Z');
      await until(() => runs.length > 1);
      await until(() => false, 60);
      // b competed all along and never ran: it never held the lease.
      expect(runs).toEqual([
        ['a', '2027-03-10T07:00:00.000Z'],
        ['a', '2027-03-11T07:05:00.000Z'],
      ]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('tries again after a failed run', async () => {
    let attempts = 0;
    const schedule = new DigestSchedule({
      config: { time: { hour: 0, minute: 0 }, timezone: 'UTC' },
      leases: { store: new InMemoryLeaseStore(), owner: 'a', ttlMs: 300 },
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('the read models are down');
      },
      checkEveryMs: 10,
      logger: quiet,
    });
    schedule.start();
    try {
      await until(() => attempts >= 2);
      await until(() => false, 60);
      expect(attempts).toBe(2);
    } finally {
      await schedule.stop();
    }
  });
});
