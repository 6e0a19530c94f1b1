import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '#event-store';
import { NotFound } from '#launch';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import { WEBHOOK_STORE, type WebhookStore } from './storage/webhook-store.port.js';
import type { DeliveryAttempt, Webhook } from './webhook.js';

/** A webhook as the API shows it: never its secret. */
export function describeWebhook(webhook: Webhook, dispatcher: WebhookDispatcher) {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    createdAt: webhook.createdAt,
    position: webhook.checkpoint,
    secretSet: true,
    ...dispatcher.status(webhook.id),
  };
}

const describeAttempt = ({ webhookId: _webhookId, ...attempt }: DeliveryAttempt) => attempt;

/** Registering, inspecting, replaying and deleting webhooks; the dispatcher does the deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async create(input: { url: string; events?: string[]; secret: string; fromPosition?: number }) {
    const webhook: Webhook = {
      id: randomUUID(),
      url: input.url,
      events: input.events ?? null,
      secret: input.secret,
      createdAt: new Date().toISOString(),
      checkpoint: input.fromPosition !== undefined ? await this.events.positionBefore(input.fromPosition) : await this.events.headPosition(),
      generation: 0,
    };
    await this.store.add(webhook);
    this.dispatcher.add(webhook.id);
    return describeWebhook(webhook, this.dispatcher);
  }

  async list() {
    return (await this.store.list()).map((webhook) => describeWebhook(webhook, this.dispatcher));
  }

  async get(id: string) {
    return describeWebhook(await this.existing(id), this.dispatcher);
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

  private async existing(id: string): Promise<Webhook> {
    const webhook = await this.store.get(id);
    if (!webhook) throw new NotFound('no such webhook');
    return webhook;
  }
}
