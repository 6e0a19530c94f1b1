import type { EventStore, EventSubscription, RecordedEvent } from '#event-store';
import type { WebhookStore } from '../storage/webhook-store.port.js';
import type { Webhook } from '../webhook.js';
import type { WebhookSecrets } from '../webhook-secrets.js';
import { retryDelay } from './backoff.js';
import { INTERRUPTED } from './delivery-errors.js';
import { sendSignedDelivery } from './signed-delivery.js';
import type { Timing } from './timing.js';
import { isWanted, launchIdOf, webhookPayload } from './webhook-payload.js';
import type { WebhookOptions } from './webhook-options.js';
import type { WebhookSender } from './webhook-sender.js';

export interface WebhookStatus {
  /** idle: caught up, waiting for events; delivering: a request is in flight; retrying: waiting after a failed attempt. */
  state: 'idle' | 'delivering' | 'retrying' | 'stopped';
  lastError?: { message: string; httpStatus?: number; at: string; eventId: string; attempt: number };
  nextAttemptAt?: string;
}

export interface WorkerDeps {
  events: Pick<EventStore, 'subscribeToAll'>;
  store: WebhookStore;
  sender: WebhookSender;
  /** Opens the stored secret to sign each attempt. */
  secrets: Pick<WebhookSecrets, 'reveal'>;
  timing: Timing;
  options: WebhookOptions;
  logger: { warn(message: string): void };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Delivers one webhook's events: a catch-up subscription to the global log from the webhook's
 * checkpoint, one event at a time, in position order. An event is retried with backoff until the
 * receiver answers 2xx, and only then is the checkpoint moved past it — so later events wait
 * behind a failing one (in order, at least once). A replay rewinds the stored checkpoint and
 * restarts the worker, which drops what was in flight and follows the log again from there.
 */
export class WebhookWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private interrupt = new AbortController();
  private subscription: EventSubscription | undefined;
  private current: WebhookStatus = { state: 'idle' };
  /** The replay generation of the webhook as this worker last read it (undefined before the first read). */
  following: number | undefined;

  constructor(
    readonly webhookId: string,
    private readonly deps: WorkerDeps,
  ) {}

  /** Resolves once the request in flight is settled (its checkpoint moved, or the attempt failed): what a draining stop waits for. */
  private settled: Promise<void> | undefined;
  private settle: (() => void) | undefined;

  private settleSending(): void {
    this.settle?.();
    this.settled = undefined;
    this.settle = undefined;
  }

  status(): WebhookStatus {
    return this.running ? this.current : { ...this.current, state: 'stopped' };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Drops the in-flight request or wait and starts again from the stored checkpoint. */
  async restart(): Promise<void> {
    this.interrupt.abort();
    await this.subscription?.close();
  }

  /**
   * Stops following. With `drain` (a clean shutdown while this process still holds the dispatch
   * lease) a request already sent is first let finish, within the request timeout, so an event the
   * receiver took is checkpointed and not sent again after the restart; otherwise (the lease is
   * lost) it is cut at once.
   */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.running = false;
    const settled = this.settled;
    if (options.drain && settled) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deps.options.timeoutMs)));
      await Promise.race([settled, timedOut]);
      clearTimeout(timer);
    }
    await this.restart();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.interrupt = new AbortController();
      const signal = this.interrupt.signal;
      try {
        await this.follow(signal);
        failures = 0;
        // The subscription ended by itself, or the checkpoint was rewound elsewhere: pause, then follow from the store again.
        if (!signal.aborted) await this.deps.timing.sleep(this.deps.options.retry.minDelayMs, signal);
      } catch (error) {
        // The log or the webhook store failed: start again from the checkpoint after a pause.
        failures++;
        this.deps.logger.warn(`webhook ${this.webhookId}: ${messageOf(error)}; following the log again`);
        await this.deps.timing.sleep(retryDelay(failures, this.deps.options.retry, this.deps.timing.random), signal);
      }
    }
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const webhook = await this.deps.store.get(this.webhookId);
    if (!webhook) {
      this.running = false;
      return;
    }
    this.following = webhook.generation;
    const subscription = this.deps.events.subscribeToAll({ after: webhook.checkpoint, maxBatchSize: this.deps.options.maxBatchSize });
    this.subscription = subscription;
    try {
      if (signal.aborted) return;
      this.current = { state: 'idle' };
      for await (const batch of subscription) {
        let skipped: number | undefined;
        for (const event of batch) {
          if (signal.aborted) return;
          if (!isWanted(webhook, event)) {
            skipped = event.position;
            continue;
          }
          if (!(await this.deliver(webhook, event, signal))) return;
          const advanced = await this.deps.store.advance(webhook.id, webhook.generation, event.position);
          this.settleSending();
          if (!advanced) return;
          skipped = undefined;
        }
        if (skipped !== undefined && !(await this.deps.store.advance(webhook.id, webhook.generation, skipped))) return;
        this.current = { state: 'idle' };
      }
    } finally {
      await subscription.close();
    }
  }

  /** Attempts until the receiver takes it (true), or until interrupted (false). */
  private async deliver(webhook: Webhook, event: RecordedEvent, signal: AbortSignal): Promise<boolean> {
    const { sender, store, secrets, timing, options } = this.deps;
    const body = JSON.stringify(webhookPayload(event));
    const delivery = { store, sender, secrets, options, now: timing.now };
    const { eventId, type, position } = event;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return false;
      if (attempt === 1) this.current = { state: 'delivering' };
      const onSending = () => void (this.settled = new Promise((resolve) => (this.settle = resolve)));
      const sent = await sendSignedDelivery(delivery, { webhook, eventId, type, position, launchId: launchIdOf(event), attempt, body, signal, onSending });
      const { error, httpStatus, at } = sent;
      if (error !== undefined) this.settleSending();
      if (error === INTERRUPTED) return false;
      if (error === undefined) return true;
      const delay = retryDelay(attempt, options.retry, timing.random);
      this.current = {
        state: 'retrying',
        lastError: { message: error, ...(httpStatus !== undefined && { httpStatus }), at, eventId, attempt },
        nextAttemptAt: new Date(timing.now() + delay).toISOString(),
      };
      this.deps.logger.warn(`webhook ${webhook.id}: event ${eventId} attempt ${attempt} failed (${sent.detail ?? error}); retrying in ${delay} ms`);
      if (!(await timing.sleep(delay, signal))) return false;
    }
  }
}
