import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../secrets/secret-box.js';
import { InMemoryWebhookStore } from './test/fakes.js';
import type { Webhook } from './webhook.js';
import { WebhookSecrets } from './webhook-secrets.js';

const SECRET = 'whsec-0123456789abcdef';
const webhook = (id: string, overrides: Partial<Webhook> = {}): Webhook => ({
  id,
  url: 'https://hooks.example.com/x',
  events: null,
  secret: SECRET,
  createdAt: '2026-11-22T00:00:00.000Z',
  checkpoint: 0,
  generation: 0,
  ...overrides,
});

describe('WebhookSecrets', () => {
  const secrets = new WebhookSecrets(new SecretBox(() => ({ id: 'k1', key: randomBytes(32) })));

  it('seals a secret for one webhook: only that webhook opens it', () => {
    const sealed = secrets.seal('w1', SECRET);
    expect(sealed).toEqual({ secret: expect.not.stringContaining('whsec'), secretKeyId: 'k1' });
    expect(secrets.reveal({ id: 'w1', ...sealed })).toBe(SECRET);
    expect(() => secrets.reveal({ id: 'w2', ...sealed })).toThrow();
    expect(secrets.reveal(webhook('legacy'))).toBe(SECRET); // stored in clear before sealing
  });

  it('seals the secrets stored in clear, once, leaving sealed ones alone', async () => {
    const store = new InMemoryWebhookStore();
    const alreadySealed = secrets.seal('b', 'another-secret-0123');
    await store.add(webhook('a'));
    await store.add(webhook('b', alreadySealed));
    expect(await secrets.sealClearSecrets(store)).toBe(1);
    expect(await secrets.sealClearSecrets(store)).toBe(0);
    const [a, b] = await store.list();
    expect(a).toMatchObject({ secretKeyId: 'k1', secret: expect.not.stringContaining('whsec') });
    expect(secrets.reveal(a)).toBe(SECRET);
    expect(b).toMatchObject(alreadySealed);
  });
});
