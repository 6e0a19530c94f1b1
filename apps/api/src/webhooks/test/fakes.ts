import type { EventStore, EventSubscription, RecordedEvent } from '#event-store';
import type { AttemptOutcome, AttemptRef, WebhookStore } from '../storage/webhook-store.port.js';
import type { Timing } from '../delivery/timing.js';
import type { WebhookRequest, WebhookSender } from '../delivery/webhook-sender.js';
import type { DeliveryAttempt, Webhook } from '../webhook.js';

export const recorded = (position: number, type = 'TaskBlocked', streamId = 'launch-l1'): RecordedEvent => ({
  streamId,
  revision: position - 1,
  position,
  eventId: `event-${position}`,
  type,
  data: { taskId: 't1', reason: 'r' },
  metadata: { actor: { id: 'a', name: 'A', role: 'launch-manager' }, occurredAt: '2026-11-01T10:00:00.000Z', correlationId: 'c', hash: 'h', prevHash: 'p' },
  recordedAt: '2026-11-01T10:00:00.000Z',
});

/** The global log in memory: a catch-up subscription that waits for appends until closed. */
export class InMemoryLog implements Pick<EventStore, 'subscribeToAll'> {
  readonly events: RecordedEvent[] = [];
  private readonly waiting = new Set<() => void>();

  append(...events: RecordedEvent[]): void {
    this.events.push(...events);
    for (const wake of this.waiting) wake();
  }

  subscribeToAll({ after, maxBatchSize = 100 }: { after: number; maxBatchSize?: number }): EventSubscription {
    let closed = false;
    let wake: (() => void) | undefined;
    // The subscription's methods are not arrow functions (an async iterator); they reach the log through it.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const log = this;
    return {
      async close() {
        closed = true;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        let checkpoint = after;
        while (!closed) {
          const batch = log.events.filter((e) => e.position > checkpoint).slice(0, maxBatchSize);
          if (batch.length === 0) {
            await new Promise<void>((resolve) => {
              wake = () => {
                log.waiting.delete(wake!);
                resolve();
              };
              log.waiting.add(wake);
            });
            continue;
          }
          checkpoint = batch.at(-1)!.position;
          yield batch;
        }
      },
    };
  }
}

export class InMemoryWebhookStore implements WebhookStore {
  readonly webhooks = new Map<string, Webhook>();
  readonly recorded: DeliveryAttempt[] = [];

  async add(webhook: Webhook) {
    this.webhooks.set(webhook.id, { ...webhook });
  }
  async get(id: string) {
    const webhook = this.webhooks.get(id);
    return webhook ? { ...webhook } : null;
  }
  async list() {
    return [...this.webhooks.values()].map((w) => ({ ...w }));
  }
  async remove(id: string) {
    return this.webhooks.delete(id);
  }
  async advance(id: string, generation: number, position: number) {
    const webhook = this.webhooks.get(id);
    if (!webhook || webhook.generation !== generation || webhook.checkpoint >= position) return false;
    webhook.checkpoint = position;
    return true;
  }
  async sealSecret(id: string, sealed: string, keyId: string) {
    const webhook = this.webhooks.get(id);
    if (!webhook || webhook.secretKeyId !== undefined) return false;
    Object.assign(webhook, { secret: sealed, secretKeyId: keyId });
    return true;
  }
  async rewind(id: string, after: number) {
    const webhook = this.webhooks.get(id);
    if (!webhook) return null;
    webhook.checkpoint = after;
    webhook.generation++;
    return { ...webhook };
  }
  async recordAttempt(attempt: DeliveryAttempt): Promise<AttemptRef> {
    return this.recorded.push({ ...attempt }) - 1;
  }
  async finishAttempt(ref: AttemptRef, { httpStatus, error, ...outcome }: AttemptOutcome) {
    const { httpStatus: _h, error: _e, ...attempt } = this.recorded[Number(ref)]!;
    this.recorded[Number(ref)] = { ...attempt, ...outcome, ...(httpStatus !== undefined && { httpStatus }), ...(error !== undefined && { error }) };
  }
  async attempts(webhookId: string, limit: number) {
    return this.recorded
      .filter((a) => a.webhookId === webhookId)
      .reverse()
      .slice(0, limit);
  }
  async close() {}
}

/** Secrets as the stores held them before sealing: in clear (the sealing has tests of its own). */
export const clearSecrets = { reveal: (webhook: Pick<Webhook, 'secret'>) => webhook.secret };

/** Answers each request with the next of `answers` (a status, a status to come, an Error to throw, or never); 200 once they run out. */
export class ScriptedSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(private readonly answers: Array<number | Error | 'hang' | Promise<number>> = []) {}

  async send(request: WebhookRequest): Promise<{ status: number }> {
    this.requests.push(request);
    for (const waiter of [...this.waiters]) if (this.requests.length >= waiter.count) waiter.resolve();
    const answer = this.answers.shift() ?? 200;
    if (answer === 'hang') {
      return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    }
    if (answer instanceof Error) throw answer;
    return { status: await answer };
  }

  /** Resolves once `count` requests have been sent; fails after 2 s without them. */
  sent(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.requests.length} requests were sent, not ${count}`)), 2000);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  bodies(): Array<Record<string, unknown>> {
    return this.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }
}

/** A clock that moves only when the worker waits: every wait is recorded and passes at once (or hangs until aborted). */
export class FakeTiming implements Timing {
  readonly waits: number[] = [];
  current = Date.parse('2026-11-22T00:00:00.000Z');
  hangWaits = false;

  now = () => this.current;
  random = () => 0.5;
  sleep = (ms: number, signal: AbortSignal): Promise<boolean> => {
    this.waits.push(ms);
    if (signal.aborted) return Promise.resolve(false);
    if (this.hangWaits) return new Promise((resolve) => signal.addEventListener('abort', () => resolve(false), { once: true }));
    this.current += ms;
    return new Promise((resolve) => setImmediate(() => resolve(true)));
  };
}

/** Lets queued promise callbacks and immediates run. */
export const settle = async (turns = 20) => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};
