import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender } from './http-webhook-sender.js';
import { DeliveryFailed } from './webhook-sender.js';

/** A DeliveryFailed with this message (the deliveries log's words). */
const failed = (message: string) => ({ name: DeliveryFailed.name, message });

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

  // The receivers here are on loopback, so these senders allow private addresses unless a test says otherwise.
  const send = (url: string, timeoutMs = 2000, signal = new AbortController().signal, sender = new HttpWebhookSender({ allowPrivate: true })) =>
    sender.send({ url, headers: { 'Content-Type': 'application/json', 'X-Test': 'yes' }, body: '{"a":"é"}', timeoutMs, signal });

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
    await expect(send(url, 100)).rejects.toMatchObject(failed('timed out'));
  });

  it('fails when nothing listens, saying only "connection failed" (the cause stays for the server log)', async () => {
    const url = await listen(() => undefined);
    server!.close();
    server = undefined;
    const failure = await send(url).catch((error: unknown) => error);
    expect(failure).toMatchObject(failed('connection failed'));
    expect(String((failure as Error).cause)).toMatch(/ECONNREFUSED/);
  });

  describe('without WEBHOOK_ALLOW_PRIVATE', () => {
    const received: string[] = [];
    const receiver = () => listen((req, _body, res) => (received.push(req.url ?? ''), res.writeHead(204).end()));
    const hostOf = (url: string) => new URL(url).host;

    it('refuses loopback addresses in every spelling, connecting nowhere', async () => {
      const port = new URL(await receiver()).port;
      const strict = new HttpWebhookSender({ allowPrivate: false });
      for (const host of ['127.0.0.1', '0x7f000001', '2130706433', '127.1', '[::ffff:127.0.0.1]', '[::1]']) {
        await expect(send(`http://${host}:${port}/hooks`, 2000, undefined, strict)).rejects.toMatchObject(failed('address not allowed'));
      }
      expect(received).toEqual([]);
    });

    it('resolves a name, refuses it when it resolves to a loopback address, and never connects (DNS rebinding)', async () => {
      const url = await receiver();
      const lookups: string[] = [];
      const rebinding = new HttpWebhookSender({
        allowPrivate: false,
        resolve: (hostname, callback) => (lookups.push(hostname), callback(null, [{ address: '127.0.0.1', family: 4 }])),
      });
      const named = url.replace(hostOf(url), `hooks.example.com:${new URL(url).port}`);
      await expect(send(named, 2000, undefined, rebinding)).rejects.toMatchObject(failed('address not allowed'));
      expect(lookups).toEqual(['hooks.example.com']);

      const mixed = new HttpWebhookSender({
        allowPrivate: false,
        resolve: (_hostname, callback) =>
          callback(null, [
            { address: '93.184.216.34', family: 4 },
            { address: '::1', family: 6 },
          ]),
      });
      await expect(send(named, 2000, undefined, mixed)).rejects.toMatchObject(failed('address not allowed'));
      await expect(send(url.replace('127.0.0.1', 'localhost'), 2000, undefined, new HttpWebhookSender({ allowPrivate: false }))).rejects.toMatchObject(
        failed('address not allowed'),
      );
      expect(received).toEqual([]);
    });

    it('connects to the address the name resolved to when private addresses are allowed', async () => {
      const url = await receiver();
      const allowed = new HttpWebhookSender({ allowPrivate: true });
      expect(await send(url.replace('127.0.0.1', 'localhost'), 2000, undefined, allowed)).toEqual({ status: 204 });
      expect(received).toEqual(['/hooks?x=1']);
    });
  });

  it('gives up at once when aborted', async () => {
    const url = await listen(() => undefined);
    const controller = new AbortController();
    const sending = send(url, 10_000, controller.signal);
    controller.abort();
    await expect(sending).rejects.toThrow(/abort/i);
  });
});
