import { describe, expect, it } from '@jest/globals';
import { InMemoryLeaseStore } from '#leases';
import { FakeTiming, InMemoryLog, InMemoryWebhookStore, recorded, ScriptedSender, clearSecrets } from '../test/fakes.js';
import { LeasedDispatch } from './leased-dispatch.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { DEFAULT_WEBHOOK_OPTIONS } from './webhook-options.js';

const quiet = { log: () => undefined, warn: () => undefined };

async function until(probe: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LeasedDispatch: only the holder of the webhook-dispatch lease delivers', () => {
  it('delivers while it holds the lease, and stops at once (the request in flight aborted) when another owner has it', async () => {
    const leases = new InMemoryLeaseStore();
    const log = new InMemoryLog();
    const store = new InMemoryWebhookStore();
    await store.add({
      id: 'w1',
      url: 'http://127.0.0.1:9/x',
      events: null,
      secret: 'whsec-0123456789abcdef',
      createdAt: '2026-11-22T00:00:00.000Z',
      checkpoint: 0,
      generation: 0,
    });
    const sender = new ScriptedSender(['hang']);
    const dispatcher = new WebhookDispatcher({
      events: log,
      store,
      sender,
      secrets: clearSecrets,
      timing: new FakeTiming(),
      options: DEFAULT_WEBHOOK_OPTIONS,
      logger: quiet,
    });
    const leased = new LeasedDispatch({ dispatcher, leases: { store: leases, owner: 'a', ttlMs: 90 }, logger: quiet, syncEveryMs: 10 });
    const standby = new LeasedDispatch({
      dispatcher: new WebhookDispatcher({
        events: log,
        store,
        sender,
        secrets: clearSecrets,
        timing: new FakeTiming(),
        options: DEFAULT_WEBHOOK_OPTIONS,
        logger: quiet,
      }),
      leases: { store: leases, owner: 'b', ttlMs: 90 },
      logger: quiet,
    });
    try {
      leased.start();
      await until(() => leased.delivering);
      standby.start();
      log.append(recorded(1));
      await sender.sent(1);
      expect(standby.delivering).toBe(false);

      // The lease passes to another owner (as after a pause longer than the ttl): a stops, the request in flight is cut.
      await leases.release('webhook-dispatch', 'a');
      await leases.acquire('webhook-dispatch', 'c', 60_000);
      await until(() => !leased.delivering);
      expect(sender.requests[0]!.signal.aborted).toBe(true);
      expect(dispatcher.status('w1').state).toBe('stopped');
      log.append(recorded(2));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sender.requests).toHaveLength(1);
      expect(store.recorded.map((a) => a.error)).toEqual([expect.stringMatching(/^interrupted/)]);
    } finally {
      await leased.stop();
      await standby.stop();
    }
  });
});
