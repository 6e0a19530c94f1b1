import { describe, expect, it } from '@jest/globals';
import type { DeliveryAttempt, Webhook } from '../webhook.js';
import { advanceFilter, fromAttemptDocument, fromWebhookDocument, toAttemptDocument, toWebhookDocument } from './mongo-webhook-documents.js';

const webhook: Webhook = {
  id: 'w1',
  url: 'https://hooks.example.com/x',
  events: null,
  secret: 'whsec-0123456789abcdef',
  createdAt: '2026-11-22T00:00:00.000Z',
  checkpoint: 7,
  generation: 2,
};

const failed: DeliveryAttempt = {
  webhookId: 'w1',
  eventId: 'e1',
  position: 8,
  type: 'GoDecided',
  launchId: 'l1',
  attempt: 3,
  status: 'failed',
  error: 'connect ECONNREFUSED',
  at: '2026-11-22T00:00:01.000Z',
  durationMs: 4,
};

describe('MongoDB webhook documents', () => {
  it('moves a checkpoint only forward and only within the generation the worker read (a replay starts a new one)', () => {
    expect(advanceFilter('w1', 3, 42)).toEqual({ _id: 'w1', generation: 3, checkpoint: { $lt: 42 } });
  });

  it('keys a webhook by its id and reads it back unchanged', () => {
    expect(toWebhookDocument(webhook)).toMatchObject({ _id: 'w1', checkpoint: 7, generation: 2 });
    expect(toWebhookDocument(webhook)).not.toHaveProperty('id');
    expect(fromWebhookDocument(toWebhookDocument(webhook))).toEqual(webhook);
    expect(toWebhookDocument(webhook)).not.toHaveProperty('secretKeyId'); // clear: absent, so sealSecret's filter finds it
    const sealed = { ...webhook, secret: 'c2VhbGVk', secretKeyId: 'k1' };
    expect(fromWebhookDocument(toWebhookDocument(sealed))).toEqual(sealed);
    expect(fromWebhookDocument({ ...toWebhookDocument(webhook), secretKeyId: null })).toEqual(webhook);
  });

  it('stores an attempt without the fields it lacks and reads it back unchanged', () => {
    const doc = toAttemptDocument(failed, 42);
    expect(doc).not.toHaveProperty('httpStatus');
    expect(doc.seq).toBe(42);
    expect(fromAttemptDocument({ ...doc, _id: 'x' })).toEqual(failed);
    const delivered = { ...failed, status: 'delivered' as const, httpStatus: 204, error: undefined };
    const { error: _none, ...withoutError } = delivered;
    expect(fromAttemptDocument(toAttemptDocument(delivered, 43))).toEqual(withoutError);
  });
});
