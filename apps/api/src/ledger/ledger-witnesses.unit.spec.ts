import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, signHead, type LedgerStore, type SignedHead } from '#ledger';
import { NO_ANSWER_RECORDED } from '../webhooks/delivery/delivery-errors.js';
import { DEFAULT_WEBHOOK_OPTIONS } from '../webhooks/delivery/webhook-options.js';
import { clearSecrets, InMemoryWebhookStore, ScriptedSender } from '../webhooks/test/fakes.js';
import type { Webhook } from '../webhooks/webhook.js';
import { headEventId, LedgerWitnesses } from './ledger-witnesses.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const head = (treeSize: number): SignedHead =>
  signHead({ treeSize, rootHash: 'ab'.repeat(32), timestamp: '2026-12-05T10:00:00.000Z', keyId: keyIdOf(publicKey) }, privateKey);

const webhook = (id: string, events: string[] | null): Webhook => ({
  id,
  url: `https://witness.example/${id}`,
  events,
  secret: 'a-witness-secret-of-some-length',
  createdAt: '2026-12-05T09:00:00.000Z',
  checkpoint: 0,
  generation: 0,
});

/** The latest head a ledger store holds, settable. */
const ledgerAt = (latest: { head: SignedHead | undefined }) => ({ latestHead: async () => latest.head }) as unknown as LedgerStore;

/** One process's witnesses over shared stores, delivering while `lease.holder` is it. */
function witnessesIn(
  name: string,
  shared: { store: InMemoryWebhookStore; latest: { head: SignedHead | undefined }; lease: { holder: string } },
  sender = new ScriptedSender(),
) {
  const witnesses = new LedgerWitnesses({
    ledger: ledgerAt(shared.latest),
    webhooks: shared.store,
    secrets: clearSecrets,
    sender,
    options: DEFAULT_WEBHOOK_OPTIONS,
    delivers: async () => shared.lease.holder === name,
    log: { warn: () => undefined },
  });
  /** One look, and the deliveries it started. */
  const offer = async () => {
    await witnesses.offer();
    await witnesses.stop(); // waits for the requests in flight
  };
  return { witnesses, sender, offer };
}

describe('LedgerWitnesses: signed heads to witnessing webhooks, under the dispatch lease', () => {
  it('delivers only where the dispatch lease is held, and only to webhooks naming LedgerHeadSigned; the body has launchId null', async () => {
    const shared = { store: new InMemoryWebhookStore(), latest: { head: head(5) }, lease: { holder: 'b' } };
    await shared.store.add(webhook('witness', ['LedgerHeadSigned']));
    await shared.store.add(webhook('everything', null));
    await shared.store.add(webhook('launches', ['TaskCompleted']));
    const a = witnessesIn('a', shared);
    const b = witnessesIn('b', shared);
    await a.offer();
    expect(a.sender.requests).toHaveLength(0);
    await b.offer();
    expect(b.sender.bodies()).toEqual([{ eventId: headEventId(head(5)), type: 'LedgerHeadSigned', launchId: null, data: head(5) }]);
    expect(b.sender.requests[0]!.url).toBe('https://witness.example/witness');
    expect(shared.store.recorded).toEqual([
      expect.objectContaining({ webhookId: 'witness', eventId: headEventId(head(5)), type: 'LedgerHeadSigned', attempt: 1, status: 'delivered', position: 0 }),
    ]);
  });

  it('records each attempt before it is sent, and on a takeover does not send a head the receiver took again; a newer head goes out', async () => {
    const shared = { store: new InMemoryWebhookStore(), latest: { head: head(3) }, lease: { holder: 'a' } };
    await shared.store.add(webhook('witness', ['LedgerHeadSigned']));
    let recordedWhenSent: unknown;
    const a = witnessesIn('a', shared, new ScriptedSender([new Promise<number>((resolve) => setImmediate(() => resolve(204)))]));
    const send = a.sender.send.bind(a.sender);
    a.sender.send = (request) => ((recordedWhenSent = shared.store.recorded.at(-1)), send(request));
    await a.offer();
    expect(recordedWhenSent).toMatchObject({ status: 'failed', error: NO_ANSWER_RECORDED, attempt: 1 });

    shared.lease.holder = 'b'; // a dies; b takes the dispatch lease over
    const b = witnessesIn('b', shared);
    await b.offer();
    expect(b.sender.requests).toHaveLength(0);
    shared.latest.head = head(7);
    await witnessesIn('b', shared, b.sender).offer();
    expect(b.sender.bodies().map((body) => (body.data as SignedHead).treeSize)).toEqual([7]);
    expect(a.sender.requests).toHaveLength(1);
  });

  it('offers a head again after a failed attempt, counting the attempts, until the receiver takes it', async () => {
    const shared = { store: new InMemoryWebhookStore(), latest: { head: head(4) }, lease: { holder: 'a' } };
    await shared.store.add(webhook('witness', ['LedgerHeadSigned']));
    const sender = new ScriptedSender([503, new Error('connection failed')]);
    for (let look = 0; look < 4; look++) await witnessesIn('a', shared, sender).offer();
    expect(sender.requests.map((r) => r.headers['Launch-Control-Delivery-Attempt'])).toEqual(['1', '2', '3']);
    expect(shared.store.recorded.map((a) => [a.attempt, a.status, a.error])).toEqual([
      [1, 'failed', 'HTTP 503'],
      [2, 'failed', 'connection failed'],
      [3, 'delivered', undefined],
    ]);
  });
});
