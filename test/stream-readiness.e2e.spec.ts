import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { ReadinessStreams } from '../apps/api/src/launches/stream-readiness/readiness-streams.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

interface SseEvent {
  event?: string;
  id?: string;
  data: string;
}

/** Reads server-sent events from a fetch() body, the way the dashboard does. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    reader,
    async next(timeoutMs = 5000): Promise<SseEvent | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line.startsWith('retry:')) continue;
            const [field, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (field === 'event') event.event = value;
            else if (field === 'id') event.id = value;
            else if (field === 'data') event.data += value;
          }
          if (event.event) return event;
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event in time');
        let timer: NodeJS.Timeout | undefined;
        const chunk = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), left))),
        ]).finally(() => clearTimeout(timer));
        if (chunk.done) return null;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
  };
}

describe('GET /v1/launches/{id}/stream: live readiness as server-sent events', () => {
  let t: TestApp;
  let base: string;
  let manager: string;
  let launchId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    manager = await t.principal('launch-manager');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Aurora', product: 'Aurora', targetDate: '2031-03-01', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    // The stream reads the launch's view: wait until the projections have it (read-your-writes), or
    // the first open may be a 404 while the projector thread is still behind.
    await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
  });
  afterAll(() => t.close());

  const openStream = (id: string, headers: Record<string, string> = bearer(manager), signal?: AbortSignal) =>
    fetch(`${base}/v1/launches/${id}/stream`, { headers, signal });

  const openStreams = () => t.app.get(ReadinessStreams).openCount;

  const waitFor = async (condition: () => boolean) => {
    const deadline = Date.now() + 3000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('sends the current readiness first, then a new event when a task is completed', async () => {
    const abort = new AbortController();
    const response = await openStream(launchId, bearer(manager), abort.signal);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const events = eventReader(response.body!);

    const first = await events.next();
    expect(first).toMatchObject({ event: 'readiness', id: '0' });
    const initial = JSON.parse(first!.data);
    expect(initial).toMatchObject({ launchId, revision: 0, overall: { percent: 0 } });
    expect(initial.departments.length).toBeGreaterThan(0);

    const launch = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager)).expect(200)).body;
    const release = launch.tasks.find((task: { kind: string }) => task.kind === 'release');
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${release.taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { version: '2.0' } })
      .expect(200);

    const next = await events.next();
    expect(next).toMatchObject({ event: 'readiness', id: '1' });
    const after = JSON.parse(next!.data);
    expect(after.revision).toBe(1);
    expect(after.overall.percent).toBeGreaterThan(initial.overall.percent);
    expect(after.departments.find((d: { department: string }) => d.department === 'engineering').completed).toBe(1);

    abort.abort();
    await waitFor(() => openStreams() === 0);
  });

  it('answers 404 as a problem document for an unknown launch, and 401 without a token, before any stream starts', async () => {
    const unknown = await openStream('0b5c1f0e-8c1a-4a47-9e0f-4b7f1a1d2c3e');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await unknown.json()) as { status: number }).status).toBe(404);

    const anonymous = await openStream(launchId, {});
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    expect(openStreams()).toBe(0);
  });

  it('keeps a quiet stream alive with heartbeat comments, and stops its timers once the reader goes away', async () => {
    const stream = await t.app.get(ReadinessStreams).open(launchId, { heartbeatMs: 30, pollMs: 1000 });
    let text = '';
    await new Promise<void>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes(': heartbeat\n\n')) resolve();
      });
    });
    expect(text).toMatch(/^retry: \d+\nevent: readiness\nid: \d+\ndata: \{.*\}\n\n/);
    expect(openStreams()).toBe(1);
    stream.destroy();
    expect(openStreams()).toBe(0);
  });

  it('ends open streams cleanly when the application shuts down', async () => {
    const response = await openStream(launchId);
    const events = eventReader(response.body!);
    expect(await events.next()).toMatchObject({ event: 'readiness' });
    expect(openStreams()).toBe(1);

    await t.app.close();
    expect(await events.next()).toBeNull();
    expect(openStreams()).toBe(0);
  });
});
