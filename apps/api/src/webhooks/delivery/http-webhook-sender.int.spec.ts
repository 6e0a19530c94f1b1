import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender } from './http-webhook-sender.js';

describe('HttpWebhookSender (loopback)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => handler(req, body, res));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks?x=1`;
  }

  const send = (url: string, timeoutMs = 2000, signal = new AbortController().signal) =>
    new HttpWebhookSender().send({ url, headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' }, body: '{"a":"é"}', timeoutMs, signal });

  it("POSTs the body and headers to the URL and answers the receiver's status", async () => {
    const seen: Array<{ method?: string; url?: string; header?: string | string[]; length?: string; body: string }> = [];
    const url = await listen((req, body, res) => {
      seen.push({ method: req.method, url: req.url, header: req.headers['x-test'], length: req.headers['content-length'], body });
      res.writeHead(410).end('gone');
    });
    expect(await send(url)).toEqual({ status: 410 });
    expect(seen).toEqual([{ method: 'POST', url: '/hooks?x=1', header: 'yes', length: String(Buffer.byteLength('{"a":"é"}')), body: '{"a":"é"}' }]);
  });

  it('fails an attempt that is not answered within the timeout', async () => {
    const url = await listen(() => undefined);
    await expect(send(url, 100)).rejects.toThrow('no answer within 100 ms');
  });

  it('fails when nothing listens', async () => {
    const url = await listen(() => undefined);
    server!.close();
    server = undefined;
    await expect(send(url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('gives up at once when aborted', async () => {
    const url = await listen(() => undefined);
    const controller = new AbortController();
    const sending = send(url, 10_000, controller.signal);
    controller.abort();
    await expect(sending).rejects.toThrow(/abort/i);
  });
});
