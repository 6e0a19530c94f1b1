import type { DeliveryAttempt } from '../webhook.js';
import type { Webhook } from '../webhook.js';
import type { WebhookSecrets } from '../webhook-secrets.js';
import type { WebhookStore } from '../storage/webhook-store.port.js';
import { INTERRUPTED, NO_ANSWER_RECORDED, SECRET_UNREADABLE } from './delivery-errors.js';
import { SIGNATURE_HEADER, signatureHeader } from './signature.js';
import type { WebhookOptions } from './webhook-options.js';
import { DeliveryFailed, type WebhookSender } from './webhook-sender.js';

export interface SignedDeliveryDeps {
  store: Pick<WebhookStore, 'recordAttempt' | 'finishAttempt'>;
  /** Built by `webhookSender`, so every delivery keeps the same address rules. */
  sender: WebhookSender;
  /** Opens the stored secret to sign the attempt. */
  secrets: Pick<WebhookSecrets, 'reveal'>;
  options: Pick<WebhookOptions, 'userAgent' | 'timeoutMs'>;
  /** Milliseconds since the epoch (the worker's tests pass a fake clock). */
  now?: () => number;
}

/** One attempt at one delivery: what is sent, and what the deliveries log records of it. */
export type SignedAttempt = Pick<DeliveryAttempt, 'eventId' | 'type' | 'position' | 'launchId' | 'attempt'> & {
  webhook: Pick<Webhook, 'id' | 'url' | 'secret' | 'secretKeyId'>;
  body: string;
  /** Aborted when the delivery is no longer wanted (replay, deletion, lost lease, shutdown): recorded as interrupted. */
  signal: AbortSignal;
  /** Called just before the request goes out, once the attempt is recorded and signed. */
  onSending?: () => void;
};

export interface AttemptResult {
  delivered: boolean;
  httpStatus?: number;
  /** The error as the deliveries log holds it: public words only. */
  error?: string;
  /** The error with the network detail behind it, for the server log only. */
  detail?: string;
  /** When the outcome was recorded (ISO 8601). */
  at: string;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const detailOf = (error: unknown): string => {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? messageOf(error) : `${messageOf(error)}: ${messageOf(cause)}`;
};

/** A secret sealed with a key this process lacks: the attempt fails, recorded, and nothing is sent. */
class SecretUnreadable extends Error {}

/** What the deliveries log shows of a failure: never the network detail (open ports, addresses), which only the server log gets. */
function publicMessageOf(failure: unknown, signal: AbortSignal): string {
  if (signal.aborted) return INTERRUPTED;
  return failure instanceof DeliveryFailed || failure instanceof SecretUnreadable ? failure.message : 'connection failed';
}

/**
 * Sends one signed POST of `body` to the webhook and records the attempt in its deliveries log:
 * recorded before it is sent (a process killed mid-request still leaves the attempt, "no answer
 * recorded"), its outcome after. Throws only when the store does.
 */
export async function sendSignedDelivery(deps: SignedDeliveryDeps, attempt: SignedAttempt): Promise<AttemptResult> {
  const { webhook, body, signal } = attempt;
  const now = deps.now ?? Date.now;
  const started = now();
  const ref = await deps.store.recordAttempt({
    webhookId: webhook.id,
    eventId: attempt.eventId,
    position: attempt.position,
    type: attempt.type,
    launchId: attempt.launchId,
    attempt: attempt.attempt,
    status: 'failed',
    error: NO_ANSWER_RECORDED,
    at: new Date(started).toISOString(),
    durationMs: 0,
  });
  let httpStatus: number | undefined;
  let error: string | undefined;
  let detail: string | undefined;
  try {
    let secret: string;
    try {
      secret = deps.secrets.reveal(webhook);
    } catch (failure) {
      throw new SecretUnreadable(`${SECRET_UNREADABLE}: ${messageOf(failure)}`);
    }
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': deps.options.userAgent,
      [SIGNATURE_HEADER]: signatureHeader(secret, Math.floor(started / 1000), body),
      'Launch-Control-Webhook-Id': webhook.id,
      'Launch-Control-Event-Id': attempt.eventId,
      'Launch-Control-Event-Type': attempt.type,
      'Launch-Control-Delivery-Attempt': String(attempt.attempt),
    };
    attempt.onSending?.();
    httpStatus = (await deps.sender.send({ url: webhook.url, headers, body, timeoutMs: deps.options.timeoutMs, signal })).status;
    if (httpStatus < 200 || httpStatus > 299) error = `HTTP ${httpStatus}`;
  } catch (failure) {
    error = publicMessageOf(failure, signal);
    detail = detailOf(failure);
  }
  const finished = now();
  const at = new Date(finished).toISOString();
  const outcome = { ...(httpStatus !== undefined && { httpStatus }), ...(error !== undefined && { error }) };
  await deps.store.finishAttempt(ref, { status: error === undefined ? 'delivered' : 'failed', ...outcome, at, durationMs: Math.max(0, finished - started) });
  return { delivered: error === undefined, ...outcome, ...(detail !== undefined && { detail }), at };
}
