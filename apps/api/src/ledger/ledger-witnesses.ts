import { LEDGER_HEAD_SIGNED, type LedgerStore, type SignedHead } from '#ledger';
import { idempotentEventId } from '../launches/shared/event-envelope.js';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/delivery/signature.js';
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
  /** How often the latest head is looked at. */
  intervalMs?: number;
  log: { warn(line: string): void };
}

/** The body of a `LedgerHeadSigned` delivery. */
export interface HeadDelivery {
  eventId: string;
  type: typeof LEDGER_HEAD_SIGNED;
  data: SignedHead;
}

/**
 * Witnessing: offers each newly signed tree head to the webhooks that asked for `LedgerHeadSigned`,
 * so receivers outside the server hold receipts and a rollback to an older state is provable.
 * Heads are cumulative (a later head proves all an earlier one did, through a consistency proof),
 * so a receiver gets the newest head when it is ready for one, never a backlog: at most one request
 * in flight per webhook; a failed one is recorded as a delivery attempt and the head offered again.
 */
export class LedgerWitnesses {
  private timer: NodeJS.Timeout | undefined;
  private readonly delivered = new Map<string, number>();
  private readonly inFlight = new Set<string>();
  private readonly abort = new AbortController();
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
        if (!this.abort.signal.aborted) this.timer = setTimeout(tick, this.deps.intervalMs ?? 1000).unref();
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.timer);
    await this.running;
  }

  /** One look: the latest head to each subscribed webhook that has not had it (or a later one). */
  async offer(): Promise<void> {
    const head = await this.deps.ledger.latestHead();
    if (!head || head.treeSize === 0) return;
    const witnesses = (await this.deps.webhooks.list()).filter((w) => w.events?.includes(LEDGER_HEAD_SIGNED));
    await Promise.all(witnesses.filter((w) => (this.delivered.get(w.id) ?? -1) < head.treeSize && !this.inFlight.has(w.id)).map((w) => this.deliver(w, head)));
  }

  private async deliver(webhook: Webhook, head: SignedHead): Promise<void> {
    const { sender, options, webhooks } = this.deps;
    const eventId = idempotentEventId('ledger', `head:${head.keyId}:${head.treeSize}`, 0);
    const body = JSON.stringify({ eventId, type: LEDGER_HEAD_SIGNED, data: head } satisfies HeadDelivery);
    const started = Date.now();
    this.inFlight.add(webhook.id);
    let httpStatus: number | undefined;
    let error: string | undefined;
    try {
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': options.userAgent,
        [SIGNATURE_HEADER]: signatureHeader(this.deps.secrets.reveal(webhook), Math.floor(started / 1000), body),
        'Launch-Control-Webhook-Id': webhook.id,
        'Launch-Control-Event-Id': eventId,
        'Launch-Control-Event-Type': LEDGER_HEAD_SIGNED,
        'Launch-Control-Delivery-Attempt': '1',
      };
      httpStatus = (await sender.send({ url: webhook.url, headers, body, timeoutMs: options.timeoutMs, signal: this.abort.signal })).status;
      if (httpStatus < 200 || httpStatus > 299) error = `the receiver answered HTTP ${httpStatus}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    } finally {
      this.inFlight.delete(webhook.id);
    }
    if (this.abort.signal.aborted) return;
    if (error === undefined) this.delivered.set(webhook.id, head.treeSize);
    await webhooks.recordAttempt({
      webhookId: webhook.id,
      eventId,
      position: 0,
      type: LEDGER_HEAD_SIGNED,
      launchId: '',
      attempt: 1,
      status: error === undefined ? 'delivered' : 'failed',
      ...(httpStatus !== undefined && { httpStatus }),
      ...(error !== undefined && { error }),
      at: new Date().toISOString(),
      durationMs: Date.now() - started,
    });
  }
}
