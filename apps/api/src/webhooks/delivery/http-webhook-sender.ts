import http from 'node:http';
import https from 'node:https';
import type { WebhookRequest, WebhookSender } from './webhook-sender.js';

/**
 * POSTs over node:http(s), one connection per request (no keep-alive pool: nothing stays open
 * between deliveries or after shutdown). The receiver's answer body is read and discarded; the
 * whole exchange must finish within the timeout.
 */
export class HttpWebhookSender implements WebhookSender {
  send({ url, headers, body, timeoutMs, signal }: WebhookRequest): Promise<{ status: number }> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const request = (target.protocol === 'https:' ? https : http).request(target, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: false,
        signal,
      });
      const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
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
