import { retryDelay } from './backoff.js';
import { WebhookWorker, type WebhookStatus, type WorkerDeps } from './webhook-worker.js';

/** Runs one worker per webhook in this process: started with the app, stopped (no timers, no sockets left) with it. */
export class WebhookDispatcher {
  private readonly workers = new Map<string, WebhookWorker>();
  private started = false;
  private stopping = new AbortController();
  private loading: Promise<void> | undefined;

  constructor(private readonly deps: WorkerDeps) {}

  /** Starts a worker for every stored webhook; if the store does not answer yet, keeps trying in the background. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = new AbortController();
    this.loading = this.loadWebhooks(this.stopping.signal);
  }

  /** Resolves once the stored webhooks have workers (tests and readiness). */
  async loaded(): Promise<void> {
    await this.loading;
  }

  /** Starts delivering to a webhook just stored. */
  add(webhookId: string): void {
    if (!this.started || this.workers.has(webhookId)) return;
    const worker = new WebhookWorker(webhookId, this.deps);
    this.workers.set(webhookId, worker);
    worker.start();
  }

  /** The webhook's checkpoint was rewound: its worker starts again from there. */
  async restart(webhookId: string): Promise<void> {
    await this.workers.get(webhookId)?.restart();
  }

  /** Stops delivering to a webhook (deleted). */
  async remove(webhookId: string): Promise<void> {
    const worker = this.workers.get(webhookId);
    this.workers.delete(webhookId);
    await worker?.stop();
  }

  /**
   * Brings the workers in line with the store, where other instances create, delete and replay
   * webhooks: a worker for each new webhook, none for a deleted one, and a restart from the stored
   * checkpoint for one replayed since its worker read it.
   */
  async sync(): Promise<void> {
    if (!this.started) return;
    const stored = await this.deps.store.list();
    if (!this.started) return;
    const ids = new Set(stored.map((webhook) => webhook.id));
    for (const id of [...this.workers.keys()]) if (!ids.has(id)) await this.remove(id);
    for (const webhook of stored) {
      const worker = this.workers.get(webhook.id);
      if (!worker) this.add(webhook.id);
      else if (worker.following !== undefined && worker.following < webhook.generation) await worker.restart();
    }
  }

  status(webhookId: string): WebhookStatus {
    return this.workers.get(webhookId)?.status() ?? { state: 'stopped' };
  }

  /** Stops every worker; `drain` lets requests already sent finish first (see WebhookWorker.stop). */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.started = false;
    this.stopping.abort();
    await this.loading;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.stop(options)));
  }

  private async loadWebhooks(signal: AbortSignal): Promise<void> {
    for (let failures = 1; !signal.aborted; failures++) {
      try {
        for (const webhook of await this.deps.store.list()) if (!signal.aborted) this.add(webhook.id);
        return;
      } catch (error) {
        this.deps.logger.warn(`cannot list the webhooks (${error instanceof Error ? error.message : String(error)}); trying again`);
        await this.deps.timing.sleep(retryDelay(failures, this.deps.options.retry, this.deps.timing.random), signal);
      }
    }
  }
}
