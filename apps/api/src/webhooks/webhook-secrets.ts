import type { SecretBox } from '../secrets/secret-box.js';
import type { WebhookStore } from './storage/webhook-store.port.js';
import type { Webhook } from './webhook.js';

/** Bound into each sealed secret: a value copied onto another webhook does not open there. */
const contextOf = (webhookId: string) => `webhook-secret:${webhookId}`;

/** Webhook secrets at rest: sealed when stored, opened only to sign a delivery. */
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(webhookId: string, secret: string): Pick<Webhook, 'secret' | 'secretKeyId'> {
    const { sealed, keyId } = this.box.seal(secret, contextOf(webhookId));
    return { secret: sealed, secretKeyId: keyId };
  }

  reveal(webhook: Pick<Webhook, 'id' | 'secret' | 'secretKeyId'>): string {
    if (webhook.secretKeyId === undefined) return webhook.secret;
    return this.box.open({ sealed: webhook.secret, keyId: webhook.secretKeyId }, contextOf(webhook.id));
  }

  /**
   * Seals every secret a store written before encryption still holds in clear; each replacement
   * applies only while the stored secret is still clear, so processes doing this at once agree.
   * Answers how many this call sealed.
   */
  async sealClearSecrets(store: WebhookStore): Promise<number> {
    let sealed = 0;
    for (const webhook of await store.list()) {
      if (webhook.secretKeyId !== undefined) continue;
      const { secret, secretKeyId } = this.seal(webhook.id, webhook.secret);
      if (await store.sealSecret(webhook.id, secret, secretKeyId!)) sealed++;
    }
    return sealed;
  }
}
