import type { WebhookStore } from '../storage/webhook-store.port.js';
import { WebhookWorker, type WebhookStatus, type WorkerDeps } from './webhook-worker.js';

/** Runs one worker per webhook in this process: started with the app, stopped (no timers, no sockets left) with it. */
export class WebhookDispatcher {
  private readonly workers = new Map<string, WebhookWorker>();
  private started = false;

  constructor(private readonly deps: WorkerDeps & { store: WebhookStore }) {}

  async start(): Promise<void> {
    this.started = true;
    for (const webhook of await this.deps.store.list()) this.add(webhook.id);
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

  status(webhookId: string): WebhookStatus {
    return this.workers.get(webhookId)?.status() ?? { state: 'stopped' };
  }

  async stop(): Promise<void> {
    this.started = false;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}
