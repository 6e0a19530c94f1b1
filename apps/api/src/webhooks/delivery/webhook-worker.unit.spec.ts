import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../../secrets/secret-box.js';
import { WebhookSecrets } from '../webhook-secrets.js';
import { FakeTiming, InMemoryLog, InMemoryWebhookStore, recorded, ScriptedSender, settle, clearSecrets } from '../test/fakes.js';
import type { Webhook } from '../webhook.js';
import { verifySignature } from './signature.js';
import { DeliveryFailed } from './webhook-sender.js';
import { DEFAULT_WEBHOOK_OPTIONS } from './webhook-options.js';
import { WebhookWorker, type WorkerDeps } from './webhook-worker.js';

const SECRET = 'whsec-0123456789abcdef';
const OPTIONS = { ...DEFAULT_WEBHOOK_OPTIONS, retry: { minDelayMs: 100, maxDelayMs: 1000 } };

describe('WebhookWorker', () => {
  let worker: WebhookWorker | undefined;
  afterEach(() => worker?.stop());

  async function setUp(
    answers: ConstructorParameters<typeof ScriptedSender>[0] = [],
    webhook: Partial<Webhook> = {},
    secrets: WorkerDeps['secrets'] = clearSecrets,
  ) {
    const log = new InMemoryLog();
    const store = new InMemoryWebhookStore();
    const sender = new ScriptedSender(answers);
    const timing = new FakeTiming();
    const warnings: string[] = [];
    await store.add({
      id: 'w1',
      url: 'http://127.0.0.1:1/hooks',
      events: null,
      secret: SECRET,
      createdAt: '2026-11-22T00:00:00.000Z',
      checkpoint: 0,
      generation: 0,
      ...webhook,
    });
    worker = new WebhookWorker('w1', { events: log, store, sender, secrets, timing, options: OPTIONS, logger: { warn: (m) => warnings.push(m) } });
    return { log, store, sender, timing, warnings, worker };
  }

  it('posts each launch event once, in position order, and moves the checkpoint past it', async () => {
    const { log, store, sender, worker } = await setUp();
    log.append(recorded(1, 'LaunchCreated'), recorded(2), recorded(3, 'TaskUnblocked'));
    worker.start();
    await sender.sent(3);
    await settle();
    expect(sender.bodies().map((b) => [b.position, b.type, b.launchId])).toEqual([
      [1, 'LaunchCreated', 'l1'],
      [2, 'TaskBlocked', 'l1'],
      [3, 'TaskUnblocked', 'l1'],
    ]);
    expect((await store.get('w1'))!.checkpoint).toBe(3);
    expect(store.recorded.map((a) => [a.eventId, a.attempt, a.status, a.httpStatus])).toEqual([
      ['event-1', 1, 'delivered', 200],
      ['event-2', 1, 'delivered', 200],
      ['event-3', 1, 'delivered', 200],
    ]);
    expect(worker.status().state).toBe('idle');

    log.append(recorded(4, 'GoDecided'));
    await sender.sent(4);
    expect(sender.bodies()[3]).toMatchObject({ position: 4, type: 'GoDecided' });
  });

  it('starts after the stored checkpoint', async () => {
    const { log, sender, worker } = await setUp([], { checkpoint: 2 });
    log.append(recorded(1), recorded(2), recorded(3));
    worker.start();
    await sender.sent(1);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([3]);
  });

  it('skips other streams and unwanted types, but still moves the checkpoint past them', async () => {
    const { log, store, sender, worker } = await setUp([], { events: ['GoDecided'] });
    log.append(recorded(1, 'LaunchCreated'), recorded(2, 'GoDecided'), recorded(3, 'GoDecided', 'principal-x'), recorded(4, 'TaskBlocked'));
    worker.start();
    await sender.sent(1);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([2]);
    expect((await store.get('w1'))!.checkpoint).toBe(4);
  });

  it('retries a failed event with exponential, capped backoff, holding later events back until it is taken', async () => {
    const { log, store, sender, timing, worker } = await setUp([
      500,
      503,
      new Error('connect ECONNREFUSED 10.0.0.7:8443'),
      502,
      new DeliveryFailed('timed out'),
      500,
      200,
    ]);
    log.append(recorded(1), recorded(2));
    worker.start();
    await sender.sent(8);
    await settle();
    // random() is 0.5: each wait is 3/4 of min × 2^(n-1), capped at max
    expect(timing.waits).toEqual([75, 150, 300, 600, 750, 750]);
    expect(sender.bodies().map((b) => b.position)).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
    expect(sender.requests.map((r) => r.headers['Launch-Control-Delivery-Attempt'])).toEqual(['1', '2', '3', '4', '5', '6', '7', '1']);
    expect(store.recorded.slice(0, 3)).toEqual([
      expect.objectContaining({ eventId: 'event-1', attempt: 1, status: 'failed', httpStatus: 500, error: 'HTTP 500' }),
      expect.objectContaining({ eventId: 'event-1', attempt: 2, status: 'failed', httpStatus: 503, error: 'HTTP 503' }),
      // the log shows no network detail: which address, which port, open or closed
      expect.objectContaining({ eventId: 'event-1', attempt: 3, status: 'failed', error: 'connection failed' }),
    ]);
    expect(store.recorded[2]).not.toHaveProperty('httpStatus');
    expect(store.recorded[4]).toMatchObject({ attempt: 5, status: 'failed', error: 'timed out' });
    expect(store.recorded[6]).toMatchObject({ eventId: 'event-1', attempt: 7, status: 'delivered', httpStatus: 200 });
    expect((await store.get('w1'))!.checkpoint).toBe(2);
  });

  it('shows the retry state with the last error while it waits', async () => {
    const { log, sender, timing, worker } = await setUp([500]);
    timing.hangWaits = true;
    log.append(recorded(1));
    worker.start();
    await sender.sent(1);
    await settle();
    expect(worker.status()).toEqual({
      state: 'retrying',
      lastError: { message: 'HTTP 500', httpStatus: 500, at: '2026-11-22T00:00:00.000Z', eventId: 'event-1', attempt: 1 },
      nextAttemptAt: '2026-11-22T00:00:00.075Z',
    });
  });

  it('signs each attempt: the receiver can verify the body with the secret and the timestamp', async () => {
    const { log, sender, timing, worker } = await setUp();
    log.append(recorded(1));
    worker.start();
    await sender.sent(1);
    const [request] = sender.requests;
    const nowSeconds = Math.floor(timing.current / 1000);
    expect(request.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Launch-Control-Event-Id': 'event-1',
      'Launch-Control-Signature': expect.stringMatching(new RegExp(`^t=${nowSeconds},v1=[0-9a-f]{64}$`)),
    });
    expect(verifySignature(SECRET, request.headers['Launch-Control-Signature'], request.body, nowSeconds)).toBe(true);
    expect(verifySignature(SECRET, request.headers['Launch-Control-Signature'], request.body.replace('TaskBlocked', 'TaskWaived'), nowSeconds)).toBe(false);
  });

  it('signs with the secret it opens from the sealed form stored', async () => {
    const secrets = new WebhookSecrets(new SecretBox(() => ({ id: 'k1', key: randomBytes(32) })));
    const { log, sender, timing, worker } = await setUp([], secrets.seal('w1', SECRET), secrets);
    log.append(recorded(1));
    worker.start();
    await sender.sent(1);
    const [request] = sender.requests;
    expect(verifySignature(SECRET, request.headers['Launch-Control-Signature'], request.body, Math.floor(timing.current / 1000))).toBe(true);
  });

  it('sends nothing when the secret was sealed with a key this process lacks: a failed attempt, retried', async () => {
    const sealedElsewhere = new WebhookSecrets(new SecretBox(() => ({ id: 'other-key', key: randomBytes(32) }))).seal('w1', SECRET);
    const secrets = new WebhookSecrets(new SecretBox(() => ({ id: 'this-key', key: randomBytes(32) })));
    const { log, store, sender, timing, worker } = await setUp([], sealedElsewhere, secrets);
    timing.hangWaits = true;
    log.append(recorded(1));
    worker.start();
    await settle();
    expect(sender.requests).toHaveLength(0);
    expect(store.recorded).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringMatching(/^the secret cannot be opened: .*other-key/) })]);
    expect(worker.status().state).toBe('retrying');
  });

  it('after a rewind and restart, drops the request in flight and delivers again from the rewound checkpoint', async () => {
    const { log, store, sender, worker } = await setUp(['hang']);
    log.append(recorded(1), recorded(2), recorded(3));
    worker.start();
    await sender.sent(1);
    await store.advance('w1', 0, 1); // pretend position 1 had been delivered before
    await store.rewind('w1', 0);
    await worker.restart();
    await sender.sent(4);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([1, 1, 2, 3]);
    expect(await store.get('w1')).toMatchObject({ checkpoint: 3, generation: 1 });
    // The abandoned request was sent, so it is in the log too, as an interrupted attempt.
    expect(store.recorded.map((a) => [a.position, a.status])).toEqual([
      [1, 'failed'],
      [1, 'delivered'],
      [2, 'delivered'],
      [3, 'delivered'],
    ]);
    expect(store.recorded[0]!.error).toMatch(/^interrupted/);
  });

  it('an answer that arrives after a rewind does not move the rewound checkpoint forward', async () => {
    let answer!: (status: number) => void;
    const { log, store, sender, worker } = await setUp([new Promise<number>((resolve) => (answer = resolve))]);
    log.append(recorded(1), recorded(2));
    worker.start();
    await sender.sent(1);
    await store.rewind('w1', 0); // a replay from position 1, before its worker is told
    answer(200);
    await sender.sent(3);
    await settle();
    expect(sender.bodies().map((b) => b.position)).toEqual([1, 1, 2]);
    expect(await store.get('w1')).toMatchObject({ checkpoint: 2, generation: 1 });
  });

  it('stops at once, whether a request is in flight or it is waiting to retry', async () => {
    const inFlight = await setUp(['hang']);
    inFlight.log.append(recorded(1));
    inFlight.worker.start();
    await inFlight.sender.sent(1);
    await inFlight.worker.stop();
    expect(inFlight.sender.requests[0].signal.aborted).toBe(true);
    expect(inFlight.worker.status().state).toBe('stopped');

    const waiting = await setUp([500]);
    waiting.timing.hangWaits = true;
    waiting.log.append(recorded(1));
    waiting.worker.start();
    await waiting.sender.sent(1);
    await settle();
    await waiting.worker.stop();
    expect(waiting.sender.requests).toHaveLength(1);
  });

  it('ends when its webhook has been deleted', async () => {
    const { store, worker } = await setUp();
    await store.remove('w1');
    worker.start();
    await settle();
    expect(worker.status().state).toBe('stopped');
  });

  it('on a draining stop lets the request already sent finish and moves the checkpoint; a plain stop cuts it', async () => {
    // An answer that comes 20 ms later, unless the request is aborted first (as a real HTTP request is).
    let answerLater!: (status: number) => void;
    let abort!: (error: Error) => void;
    const drained = await setUp([new Promise<number>((resolve, reject) => ((answerLater = resolve), (abort = reject)))]);
    drained.log.append(recorded(1));
    drained.worker.start();
    await drained.sender.sent(1);
    drained.sender.requests[0]!.signal.addEventListener('abort', () => abort(new Error('aborted')), { once: true });

    const stopping = drained.worker.stop({ drain: true });
    setTimeout(() => answerLater(200), 20);
    await stopping;
    expect((await drained.store.get('w1'))!.checkpoint).toBe(1);
    expect(drained.store.recorded.map((a) => a.status)).toEqual(['delivered']);

    const cut = await setUp(['hang']);
    cut.log.append(recorded(1));
    cut.worker.start();
    await cut.sender.sent(1);
    await cut.worker.stop();
    expect((await cut.store.get('w1'))!.checkpoint).toBe(0);
  });
});
