import { LEDGER_HEAD_SIGNED, type LedgerStore, type SignedHead } from '#ledger';
import { idempotentEventId } from '../launches/shared/event-envelope.js';
import { sendSignedDelivery } from '../webhooks/delivery/signed-delivery.js';
import type { WebhookOptions } from '../webhooks/delivery/webhook-options.js';
import type { WebhookSender } from '../webhooks/delivery/webhook-sender.js';
import type { WebhookStore } from '../webhooks/storage/webhook-store.port.js';
import type { Webhook } from '../webhooks/webhook.js';
import type { WebhookSecrets } from '../webhooks/webhook-secrets.js';

export interface LedgerWitnessesDeps {
  ledger: LedgerStore;
  webhooks: WebhookStore;
  /** Opens each webhook's secret (sealed at rest) to sign the delivery. */
  secrets: Pick<WebhookSecrets, 'reveal'>;
  sender: WebhookSender;
  options: WebhookOptions;
  /** Whether this process holds the `webhook-dispatch` lease now: only its holder delivers, heads as every event. */
  delivers: () => Promise<boolean>;
  /** How often the latest head is looked at. */
  intervalMs?: number;
  log: { warn(line: string): void };
}

/** The body of a `LedgerHeadSigned` delivery: no launch's event, so `launchId` is null. */
export interface HeadDelivery {
  eventId: string;
  type: typeof LEDGER_HEAD_SIGNED;
  launchId: null;
  data: SignedHead;
}

/** A head's delivery id: the same in every process, so the deliveries log says which head a webhook has had. */
export const headEventId = (head: SignedHead): string => idempotentEventId('ledger', `head:${head.keyId}:${head.treeSize}`, 0);

/** How far back the deliveries log is read for earlier attempts at the latest head. */
const RECENT_ATTEMPTS = 100;

/**
 * Witnessing: offers each newly signed tree head to the webhooks that asked for `LedgerHeadSigned`,
 * so receivers outside the server hold receipts and a rollback to an older state is provable.
 * Heads are cumulative (a later head proves all an earlier one did, through a consistency proof),
 * so a receiver gets the newest head when it is ready for one, never a backlog: at most one request
 * in flight per webhook; a failed one is recorded and the head offered again a second later.
 *
 * Only the holder of the `webhook-dispatch` lease delivers, and what a webhook has had is read from
 * the deliveries log (each attempt recorded before it is sent), so across processes and takeovers a
 * head taken by a receiver is not sent to it again. Losing the lease cuts the requests in flight.
 */
export class LedgerWitnesses {
  private timer: NodeJS.Timeout | undefined;
  /** The tree size each webhook is known to have had, while this process delivers. */
  private readonly delivered = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private lease = new AbortController();
  private stopped = false;
  private running: Promise<void> | undefined;
  private failing: string | undefined;

  constructor(private readonly deps: LedgerWitnessesDeps) {}

  start(): void {
    const tick = () => {
      this.running = this.offer().then(
        () => void (this.failing = undefined),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (message !== this.failing) this.deps.log.warn(`ledger witnesses: ${message} (retrying every second)`);
          this.failing = message;
        },
      );
      void this.running.then(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.deps.intervalMs ?? 1000).unref();
      });
    };
    tick();
  }

  /** Stops offering; a request already sent is let finish (within the timeout), still under the lease, and recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.inFlight.values());
  }

  /** One look: the latest head to each subscribed webhook that has not had it (or a later one). */
  async offer(): Promise<void> {
    if (this.stopped) return;
    if (!(await this.deps.delivers())) return this.standDown();
    const head = await this.deps.ledger.latestHead();
    if (!head || head.treeSize === 0) return;
    const witnesses = (await this.deps.webhooks.list()).filter((w) => w.events?.includes(LEDGER_HEAD_SIGNED));
    for (const webhook of witnesses) {
      if ((this.delivered.get(webhook.id) ?? -1) >= head.treeSize || this.inFlight.has(webhook.id)) continue;
      const delivery = this.deliver(webhook, head)
        .catch((error: unknown) => this.deps.log.warn(`ledger witnesses: webhook ${webhook.id}: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.inFlight.delete(webhook.id));
      this.inFlight.set(webhook.id, delivery);
    }
  }

  /** Another process delivers: cut what is in flight, and forget what was known (the log is read again on a takeover). */
  private standDown(): void {
    this.lease.abort();
    this.lease = new AbortController();
    this.delivered.clear();
  }

  private async deliver(webhook: Webhook, head: SignedHead): Promise<void> {
    const { sender, options, webhooks, secrets } = this.deps;
    const eventId = headEventId(head);
    const earlier = (await webhooks.attempts(webhook.id, RECENT_ATTEMPTS)).filter((attempt) => attempt.eventId === eventId);
    if (earlier.some((attempt) => attempt.status === 'delivered')) return void this.delivered.set(webhook.id, head.treeSize);
    const body = JSON.stringify({ eventId, type: LEDGER_HEAD_SIGNED, launchId: null, data: head } satisfies HeadDelivery);
    const attempt = { webhook, eventId, type: LEDGER_HEAD_SIGNED, position: 0, launchId: '', attempt: earlier.length + 1, body, signal: this.lease.signal };
    const { delivered } = await sendSignedDelivery({ store: webhooks, sender, secrets, options }, attempt);
    if (delivered) this.delivered.set(webhook.id, head.treeSize);
  }
}
