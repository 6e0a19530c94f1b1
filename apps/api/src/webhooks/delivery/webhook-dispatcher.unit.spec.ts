import { describe, expect, it } from '@jest/globals';
import { FakeTiming, InMemoryLog, InMemoryWebhookStore, recorded, ScriptedSender, settle, clearSecrets } from '../test/fakes.js';
import type { Webhook } from '../webhook.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { DEFAULT_WEBHOOK_OPTIONS } from './webhook-options.js';

const webhook = (id: string, url: string): Webhook => ({
  id,
  url,
  events: null,
  secret: 'whsec-0123456789abcdef',
  createdAt: '2026-11-22T00:00:00.000Z',
  checkpoint: 0,
  generation: 0,
});

function setUp() {
  const log = new InMemoryLog();
  const store = new InMemoryWebhookStore();
  const sender = new ScriptedSender();
  const timing = new FakeTiming();
  const dispatcher = new WebhookDispatcher({
    events: log,
    store,
    sender,
    secrets: clearSecrets,
    timing,
    options: DEFAULT_WEBHOOK_OPTIONS,
    logger: { warn: () => undefined },
  });
  return { log, store, sender, timing, dispatcher };
}

describe('WebhookDispatcher', () => {
  it('delivers to every stored webhook, each on its own', async () => {
    const { log, store, sender, dispatcher } = setUp();
    await store.add(webhook('a', 'http://a.example/x'));
    await store.add(webhook('b', 'http://b.example/x'));
    log.append(recorded(1));
    dispatcher.start();
    await sender.sent(2);
    expect(sender.requests.map((r) => r.url).sort()).toEqual(['http://a.example/x', 'http://b.example/x']);
    await dispatcher.stop();
  });

  it('keeps trying to list the webhooks while the store does not answer, without failing the start', async () => {
    const { log, store, sender, timing, dispatcher } = setUp();
    await store.add(webhook('a', 'http://a.example/x'));
    const list = store.list.bind(store);
    let failures = 2;
    store.list = () => (failures-- > 0 ? Promise.reject(new Error('store down')) : list());
    log.append(recorded(1));
    dispatcher.start();
    await sender.sent(1);
    expect(timing.waits).toHaveLength(2);
    await dispatcher.stop();
  });

  it('stops a removed webhook, and everything on stop', async () => {
    const { log, store, sender, dispatcher } = setUp();
    await store.add(webhook('a', 'http://a.example/x'));
    dispatcher.start();
    await dispatcher.loaded();
    expect(dispatcher.status('a').state).toBe('idle');
    await dispatcher.remove('a');
    expect(dispatcher.status('a').state).toBe('stopped');
    log.append(recorded(1));
    await settle();
    expect(sender.requests).toHaveLength(0);

    await store.add(webhook('b', 'http://b.example/x'));
    dispatcher.add('b');
    await dispatcher.stop();
    dispatcher.add('c');
    expect(dispatcher.status('b').state).toBe('stopped');
    expect(dispatcher.status('c').state).toBe('stopped');
  });

  it('sync() follows what other instances did in the store: new webhooks delivered, deleted ones stopped, replays restarted', async () => {
    const { log, store, sender, dispatcher } = setUp();
    dispatcher.start();
    await dispatcher.loaded();
    log.append(recorded(1), recorded(2));
    await store.add(webhook('created-elsewhere', 'http://a.example/x')); // through another instance
    await settle();
    expect(sender.requests).toHaveLength(0);
    await dispatcher.sync();
    await sender.sent(2);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([1, 2]);

    await store.rewind('created-elsewhere', 0); // a replay requested on another instance
    await dispatcher.sync();
    await sender.sent(4);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([1, 2, 1, 2]);
    expect(await store.get('created-elsewhere')).toMatchObject({ checkpoint: 2, generation: 1 });

    await store.remove('created-elsewhere'); // deleted on another instance
    await dispatcher.sync();
    expect(dispatcher.status('created-elsewhere').state).toBe('stopped');
    log.append(recorded(3));
    await settle();
    expect(sender.requests).toHaveLength(4);
    await dispatcher.stop();
  });
});
