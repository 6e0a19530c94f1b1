import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, signHead } from '#ledger';
import { deliverDigest } from '../../digests/digest-channels.js';
import type { DepartmentDigest } from '../../digests/digest-composition.js';
import { LedgerWitnesses } from '../../ledger/ledger-witnesses.js';
import { clearSecrets, InMemoryWebhookStore, ScriptedSender } from '../test/fakes.js';
import type { Webhook } from '../webhook.js';
import { INTERRUPTED, NO_ANSWER_RECORDED } from './delivery-errors.js';
import { webhookSender } from './http-webhook-sender.js';
import { SIGNATURE_HEADER, verifySignature } from './signature.js';
import { sendSignedDelivery, type SignedAttempt } from './signed-delivery.js';
import { DEFAULT_WEBHOOK_OPTIONS } from './webhook-options.js';
import { DeliveryFailed } from './webhook-sender.js';

const SECRET = 'a-receiver-secret-of-some-length';
const webhook = (url = 'https://receiver.example/hook', events: string[] | null = null): Webhook => ({
  id: 'w1',
  url,
  events,
  secret: SECRET,
  createdAt: '2026-12-05T09:00:00.000Z',
  checkpoint: 0,
  generation: 0,
});
const attempt = (overrides: Partial<SignedAttempt> = {}): SignedAttempt => ({
  webhook: webhook(),
  eventId: 'e1',
  type: 'TaskCompleted',
  position: 7,
  launchId: 'l1',
  attempt: 2,
  body: '{"eventId":"e1"}',
  signal: new AbortController().signal,
  ...overrides,
});

function deliveryWith(sender: ScriptedSender, secrets: { reveal(w: Webhook): string } = clearSecrets) {
  const store = new InMemoryWebhookStore();
  return { store, deps: { store, sender, secrets, options: DEFAULT_WEBHOOK_OPTIONS } };
}

describe('sendSignedDelivery: one signed request, its attempt in the deliveries log', () => {
  it('records the attempt before sending, then signs the body so the receiver can verify it, and records the outcome', async () => {
    const sender = new ScriptedSender([204]);
    const { store, deps } = deliveryWith(sender);
    let recordedWhenSent: unknown;
    const send = sender.send.bind(sender);
    sender.send = (request) => ((recordedWhenSent = { ...store.recorded.at(-1) }), send(request));

    const result = await sendSignedDelivery(deps, attempt());

    expect(recordedWhenSent).toMatchObject({
      webhookId: 'w1',
      eventId: 'e1',
      position: 7,
      launchId: 'l1',
      attempt: 2,
      status: 'failed',
      error: NO_ANSWER_RECORDED,
    });
    const { headers, body } = sender.requests[0]!;
    expect(headers).toMatchObject({ 'Launch-Control-Event-Id': 'e1', 'Launch-Control-Event-Type': 'TaskCompleted', 'Launch-Control-Delivery-Attempt': '2' });
    expect(verifySignature(SECRET, headers[SIGNATURE_HEADER], body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(result).toMatchObject({ delivered: true, httpStatus: 204 });
    expect(store.recorded).toEqual([expect.objectContaining({ status: 'delivered', httpStatus: 204, attempt: 2 })]);
  });

  it('logs public words only: the status, or the failure without its network detail (which the result keeps for the server log)', async () => {
    const refused = new DeliveryFailed('connection failed', { cause: new Error('connect ECONNREFUSED 10.0.0.7:22') });
    const sender = new ScriptedSender([503, refused, new Error('getaddrinfo ENOTFOUND internal.example')]);
    const { store, deps } = deliveryWith(sender);
    const results = [await sendSignedDelivery(deps, attempt()), await sendSignedDelivery(deps, attempt()), await sendSignedDelivery(deps, attempt())];
    expect(store.recorded.map((a) => [a.status, a.httpStatus, a.error])).toEqual([
      ['failed', 503, 'HTTP 503'],
      ['failed', undefined, 'connection failed'],
      ['failed', undefined, 'connection failed'],
    ]);
    expect(results[1]!.detail).toContain('ECONNREFUSED 10.0.0.7:22');
  });

  it('records an aborted request as interrupted, and sends nothing when the secret cannot be opened', async () => {
    const lease = new AbortController();
    const { store, deps } = deliveryWith(new ScriptedSender(['hang']));
    const hanging = sendSignedDelivery(deps, attempt({ signal: lease.signal }));
    await new Promise((resolve) => setImmediate(resolve));
    lease.abort();
    expect(await hanging).toMatchObject({ delivered: false, error: INTERRUPTED });

    const sealed = new ScriptedSender();
    const locked = deliveryWith(sealed, {
      reveal: () => {
        throw new Error('sealed with key k2');
      },
    });
    expect(await sendSignedDelivery(locked.deps, attempt())).toMatchObject({ delivered: false, error: 'the secret cannot be opened: sealed with key k2' });
    expect(sealed.requests).toHaveLength(0);
    expect(store.recorded[0]!.error).toBe(INTERRUPTED);
  });
});

describe('the address rules hold on every delivery path (WEBHOOK_ALLOW_PRIVATE off)', () => {
  // A name that resolves to loopback: refused when resolved, before any connection (as DNS rebinding would try).
  const toLoopback = (_host: string, callback: (error: null, addresses: Array<{ address: string; family: number }>) => void) =>
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  const sender = webhookSender({ allowPrivate: false }, toLoopback);
  const urls = ['http://127.0.0.1:9/hook', 'http://[::1]:9/hook', 'http://rebinds.example:9/hook'];

  it('a department digest to a private address is refused and logged as "address not allowed"', async () => {
    for (const url of urls) {
      const webhooks = new InMemoryWebhookStore();
      const digest = { department: 'legal', date: '2027-03-10' } as DepartmentDigest;
      const outcome = await deliverDigest(
        { webhooks, secrets: clearSecrets, sender, options: DEFAULT_WEBHOOK_OPTIONS },
        [webhook(url, ['DepartmentDigest'])],
        digest,
      );
      expect(outcome).toEqual({ delivered: 0, failed: 1 });
      expect(webhooks.recorded.map((a) => a.error)).toEqual(['address not allowed']);
    }
  });

  it('a signed ledger head to a private address is refused and logged as "address not allowed"', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const head = signHead({ treeSize: 3, rootHash: 'ab'.repeat(32), timestamp: '2027-03-10T08:00:00.000Z', keyId: keyIdOf(publicKey) }, privateKey);
    for (const url of urls) {
      const webhooks = new InMemoryWebhookStore();
      await webhooks.add(webhook(url, ['LedgerHeadSigned']));
      const ledger = { latestHead: async () => head } as never;
      const witnesses = new LedgerWitnesses({
        ledger,
        webhooks,
        secrets: clearSecrets,
        sender,
        options: DEFAULT_WEBHOOK_OPTIONS,
        delivers: async () => true,
        log: { warn: () => undefined },
      });
      await witnesses.offer();
      await witnesses.stop();
      expect(webhooks.recorded.map((a) => a.error)).toEqual(['address not allowed']);
    }
  });
});
