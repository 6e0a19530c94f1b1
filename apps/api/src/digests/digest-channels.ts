import { createTransport, type Transporter } from 'nodemailer';
import { idempotentEventId } from '../launches/shared/event-envelope.js';
import { sendSignedDelivery } from '../webhooks/delivery/signed-delivery.js';
import type { WebhookOptions } from '../webhooks/delivery/webhook-options.js';
import type { WebhookSender } from '../webhooks/delivery/webhook-sender.js';
import type { WebhookStore } from '../webhooks/storage/webhook-store.port.js';
import type { Webhook } from '../webhooks/webhook.js';
import type { WebhookSecrets } from '../webhooks/webhook-secrets.js';
import type { DepartmentDigest } from './digest-composition.js';
import { DEPARTMENT_DIGEST } from './department-digest-event.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends e-mail through SMTP_URL with nodemailer; resolves once the server accepted the message. */
export class SmtpMailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Bounded, so a silent server cannot hold a run (and the digests behind it) for long.
    this.transport = createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  close(): void {
    this.transport.close();
  }
}

/** The body of a `DepartmentDigest` delivery. A digest spans launches, so it has no `launchId` (the deliveries log shows it empty). */
export interface DigestDelivery {
  eventId: string;
  type: typeof DEPARTMENT_DIGEST;
  /** A digest belongs to no launch (as a signed ledger head). */
  launchId: null;
  data: DepartmentDigest;
}

export interface DigestWebhooksDeps {
  webhooks: WebhookStore;
  secrets: Pick<WebhookSecrets, 'reveal'>;
  sender: WebhookSender;
  options: WebhookOptions;
}

/** The webhooks that asked for `DepartmentDigest` (only those that name it), read before any digest is claimed. */
export async function digestReceivers(deps: Pick<DigestWebhooksDeps, 'webhooks'>): Promise<Webhook[]> {
  return (await deps.webhooks.list()).filter((w) => w.events?.includes(DEPARTMENT_DIGEST));
}

/**
 * Delivers a department's digest to each receiver, signed like every delivery, one attempt each,
 * recorded in the webhook's deliveries log before it is sent. Never throws: a digest already
 * claimed must be marked sent whatever happens here. The event id is derived from department and
 * date, so a receiver can tell a repeat (there is none unless an operator deletes the digest record).
 */
export async function deliverDigest(
  deps: DigestWebhooksDeps,
  receivers: readonly Webhook[],
  digest: DepartmentDigest,
): Promise<{ delivered: number; failed: number }> {
  const eventId = idempotentEventId('digest', `${digest.department}:${digest.date}`, 0);
  const body = JSON.stringify({ eventId, type: DEPARTMENT_DIGEST, launchId: null, data: digest } satisfies DigestDelivery);
  const outcomes = await Promise.all(receivers.map((webhook) => deliverOnce(deps, webhook, eventId, body).catch(() => false)));
  return { delivered: outcomes.filter(Boolean).length, failed: outcomes.filter((ok) => !ok).length };
}

/** Nothing stops a digest's request but its timeout (the sender's own). */
const NEVER_ABORTED = new AbortController().signal;

async function deliverOnce(deps: DigestWebhooksDeps, webhook: Webhook, eventId: string, body: string): Promise<boolean> {
  const attempt = { webhook, eventId, type: DEPARTMENT_DIGEST, position: 0, launchId: '', attempt: 1, body, signal: NEVER_ABORTED };
  return (await sendSignedDelivery({ store: deps.webhooks, sender: deps.sender, secrets: deps.secrets, options: deps.options }, attempt)).delivered;
}
