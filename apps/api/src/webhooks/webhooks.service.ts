import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '#event-store';
import { NotFound, ValidationFailed } from '#launch';
import { LEDGER_HEAD_SIGNED } from '#ledger';
import { LEASES } from '#leases';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { LeasedDispatch } from './delivery/leased-dispatch.js';
import { shownError } from './delivery/delivery-errors.js';
import { storedStatus } from './delivery/stored-status.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import type { WebhookStatus } from './delivery/webhook-worker.js';
import type { WebhookOptions } from './delivery/webhook-options.js';
import { WEBHOOK_STORE, type WebhookStore } from './storage/webhook-store.port.js';
import { displayedUrl, webhookUrlProblem } from './url-safety/webhook-url-policy.js';
import type { DeliveryAttempt, Webhook } from './webhook.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { WEBHOOK_OPTIONS } from './webhooks.tokens.js';

/** A webhook as the API shows it: never its secret. */
export function describeWebhook(webhook: Webhook, status: WebhookStatus) {
  return {
    id: webhook.id,
    url: displayedUrl(webhook.url),
    events: webhook.events,
    createdAt: webhook.createdAt,
    position: webhook.checkpoint,
    secretSet: true,
    ...status,
  };
}

const describeAttempt = ({ webhookId: _webhookId, error, ...attempt }: DeliveryAttempt) => ({
  ...attempt,
  // Signed tree heads and digests belong to no launch (stored as '').
  launchId: attempt.launchId === '' || attempt.type === LEDGER_HEAD_SIGNED ? null : attempt.launchId,
  ...(error !== undefined && { error: shownError(error) }),
});

/** Registering, inspecting, replaying and deleting webhooks; the dispatcher does the deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly leased: LeasedDispatch,
    @Inject(LEASE_CONTEXT) private readonly leases: LeaseContext,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    private readonly secrets: WebhookSecrets,
  ) {}

  async create(input: { url: string; events?: string[]; secret: string; fromPosition?: number }) {
    const refused = webhookUrlProblem(input.url, { allowPrivate: this.options.allowPrivate });
    if (refused) throw new ValidationFailed(`invalid input: url ${refused}`, [{ field: 'url', message: refused }]);
    const id = randomUUID();
    const webhook: Webhook = {
      id,
      url: input.url,
      events: input.events ?? null,
      ...this.secrets.seal(id, input.secret),
      createdAt: new Date().toISOString(),
      checkpoint: input.fromPosition !== undefined ? await this.events.positionBefore(input.fromPosition) : await this.events.headPosition(),
      generation: 0,
    };
    await this.store.add(webhook);
    this.dispatcher.add(webhook.id);
    return (await this.describe([webhook]))[0];
  }

  async list() {
    return this.describe(await this.store.list());
  }

  async get(id: string) {
    return (await this.describe([await this.existing(id)]))[0];
  }

  async remove(id: string): Promise<void> {
    await this.dispatcher.remove(id);
    if (!(await this.store.remove(id))) throw new NotFound('no such webhook');
  }

  async replay(id: string, fromPosition: number) {
    // "At or after fromPosition" is "after the event before it": positions need not be contiguous.
    const webhook = await this.store.rewind(id, await this.events.positionBefore(fromPosition));
    if (!webhook) throw new NotFound('no such webhook');
    await this.dispatcher.restart(id);
    return { id, fromPosition, position: webhook.checkpoint };
  }

  async deliveries(id: string, limit: number) {
    await this.existing(id);
    return (await this.store.attempts(id, limit)).map(describeAttempt);
  }

  /** With each one's delivery state: this instance's own when it delivers, else as the store shows it. */
  private async describe(webhooks: Webhook[]) {
    if (this.leased.delivering) return webhooks.map((webhook) => describeWebhook(webhook, this.dispatcher.status(webhook.id)));
    if (webhooks.length === 0) return [];
    const dispatched = (await this.leases.store.holder(LEASES.webhookDispatch)) !== null;
    const head = await this.events.headPosition();
    return Promise.all(
      webhooks.map(async (webhook) => describeWebhook(webhook, storedStatus(webhook, (await this.store.attempts(webhook.id, 1))[0], head, dispatched))),
    );
  }

  private async existing(id: string): Promise<Webhook> {
    const webhook = await this.store.get(id);
    if (!webhook) throw new NotFound('no such webhook');
    return webhook;
  }
}
