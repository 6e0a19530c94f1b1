import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { closesWithin, dribble, holdConnection, type HeldConnection } from './support/raw-client.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/** Timeouts short enough to observe; Node enforces them on a 1 s timer, hence the slack. */
const REQUEST_TIMEOUT_MS = 1500;
const HEADERS_TIMEOUT_MS = 1000;
const KEEP_ALIVE_TIMEOUT_MS = 1000;
const CHECK_SLACK_MS = 2500;

const listen = async (t: TestApp) => {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
};

describe('the HTTP edge: timeouts free what slow clients hold', () => {
  let t: TestApp;
  let port: number;
  const held: HeldConnection[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    });
    port = await listen(t);
  });
  afterEach(() => {
    for (const connection of held.splice(0)) connection.socket.destroy();
  });
  afterAll(() => t.close());

  it('closes 50 connections that send a body one byte at a time, while health checks keep answering', async () => {
    const manager = await t.principal('launch-manager');
    const before = await t.headPosition();
    for (let i = 0; i < 50; i++) {
      const connection = await holdConnection(port);
      held.push(connection);
      connection.socket.write(
        `POST /v1/launches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${manager}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{`,
      );
      dribble(connection, 100, 100);
    }

    const health = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(health.status).toBe(200);

    const lifetimes = await Promise.all(
      held.map((connection) => Promise.race([connection.closed, sleep(REQUEST_TIMEOUT_MS + CHECK_SLACK_MS + 2000).then(() => Infinity)])),
    );
    for (const lifetime of lifetimes) expect(lifetime).toBeLessThan(REQUEST_TIMEOUT_MS + CHECK_SLACK_MS);
    for (const lifetime of lifetimes) expect(lifetime).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(held[0]!.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(await t.headPosition()).toBe(before);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  });

  it('closes connections whose headers arrive too slowly, and connections that send nothing', async () => {
    const slowHeaders = await holdConnection(port);
    const silent = await holdConnection(port);
    held.push(slowHeaders, silent);
    slowHeaders.socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    dribble(slowHeaders, 100, 100);

    expect(await closesWithin(slowHeaders, HEADERS_TIMEOUT_MS + CHECK_SLACK_MS)).toBe(true);
    expect(await closesWithin(silent, HEADERS_TIMEOUT_MS + CHECK_SLACK_MS)).toBe(true);
  });

  it('closes a kept-alive connection that stays idle after its request', async () => {
    const connection = await holdConnection(port);
    held.push(connection);
    connection.socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    expect(await closesWithin(connection, KEEP_ALIVE_TIMEOUT_MS + CHECK_SLACK_MS)).toBe(true);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200/);
  });

  it('keeps a live readiness stream open well past the request timeout', async () => {
    const manager = await t.principal('launch-manager', undefined, 'streamer');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Edge', product: 'Edge', targetDate: '2031-03-01', tier: 3 })
      .expect(201);
    const launchId = created.body.launchId as string;
    await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    const abort = new AbortController();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v1/launches/${launchId}/stream`, { headers: bearer(manager), signal: abort.signal });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (pattern: RegExp) => {
        const deadline = Date.now() + 5000;
        while (!pattern.test(text)) {
          if (Date.now() > deadline) throw new Error(`no ${pattern} in time; got ${text}`);
          const chunk = await reader.read();
          if (chunk.done) throw new Error('the stream ended');
          text += decoder.decode(chunk.value, { stream: true });
        }
      };
      await readUntil(/id: 0\n/);
      await sleep(REQUEST_TIMEOUT_MS + CHECK_SLACK_MS);
      await t.http.post(`/v1/launches/${launchId}/tasks`).set(bearer(manager)).send({ title: 'Late task', department: 'support' }).expect(201);
      await readUntil(/id: 1\n/);
    } finally {
      abort.abort();
    }
  });
});

describe('the HTTP edge: MAX_CONNECTIONS', () => {
  let t: TestApp;
  let port: number;
  const held: HeldConnection[] = [];

  beforeAll(async () => {
    t = await startTestApp({ MAX_CONNECTIONS: '10', HEADERS_TIMEOUT_MS: '10000' });
    port = await listen(t);
  });
  afterAll(async () => {
    for (const connection of held) connection.socket.destroy();
    await t.close();
  });

  it('closes connections over the cap at once, and serves again when connections are freed', async () => {
    for (let i = 0; i < 10; i++) held.push(await holdConnection(port));
    await sleep(100);
    const over = await holdConnection(port);
    over.socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await closesWithin(over, 1000)).toBe(true);
    expect(over.received()).toBe('');

    for (const connection of held) connection.socket.destroy();
    await sleep(100);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
  });
});
