import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from '../url-safety/address-classifier.js';
import { AddressNotAllowedError, guardedLookup, type Resolve } from '../url-safety/guarded-lookup.js';
import { DeliveryFailed, type WebhookRequest, type WebhookSender } from './webhook-sender.js';

export interface HttpSenderOptions {
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback and private addresses too. */
  allowPrivate: boolean;
  /** How names are resolved (tests map a name to 127.0.0.1); the system resolver by default. */
  resolve?: Resolve;
}

/**
 * POSTs over node:http(s), one connection per request (no keep-alive pool: nothing stays open
 * between deliveries or after shutdown). The receiver's answer body is read and discarded; the
 * whole exchange must finish within the timeout. Unless private addresses are allowed, an IP
 * literal is checked here and a name is resolved, checked and connected to by `guardedLookup`.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: HttpSenderOptions = { allowPrivate: false }) {}

  send({ url, headers, body, timeoutMs, signal }: WebhookRequest): Promise<{ status: number }> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const literal = target.hostname.replace(/^\[(.*)\]$/, '$1');
      if (!this.options.allowPrivate && isIP(literal) !== 0 && !isPublicAddress(literal)) {
        reject(new DeliveryFailed('address not allowed'));
        return;
      }
      const request = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: false,
        signal,
        ...(!this.options.allowPrivate && { lookup: guardedLookup(this.options.resolve) }),
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        if (signal.aborted) reject(error);
        else if (timedOut) reject(new DeliveryFailed('timed out', { cause: error }));
        else if (error instanceof AddressNotAllowedError) reject(new DeliveryFailed('address not allowed', { cause: error }));
        else reject(new DeliveryFailed('connection failed', { cause: error }));
      };
      request.on('error', fail);
      request.on('response', (response) => {
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0 });
        });
        response.resume();
      });
      request.end(body);
    });
  }
}

/** The sender every delivery uses (events, ledger heads, digests): one place for the address rules (WEBHOOK_ALLOW_PRIVATE, resolved-address checks). */
export function webhookSender(options: { allowPrivate: boolean }, resolve?: Resolve): WebhookSender {
  return new HttpWebhookSender({ allowPrivate: options.allowPrivate, ...(resolve && { resolve }) });
}
