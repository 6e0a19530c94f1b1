import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { ReadinessStreams } from '../apps/api/src/launches/stream-readiness/readiness-streams.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

/** Reads a stream body to its end; resolves with the text and when it ended, or rejects after `timeoutMs`. */
async function readToEnd(body: ReadableStream<Uint8Array>, timeoutMs: number): Promise<{ text: string; endedAt: number }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`the stream did not end; got ${text}`)), Math.max(1, deadline - Date.now()))),
      ),
    ]).finally(() => clearTimeout(timer));
    if (chunk.done) return { text, endedAt: Date.now() };
    text += decoder.decode(chunk.value, { stream: true });
  }
}

describe('GET /v1/launches/{id}/stream: revoking a principal closes its live streams', () => {
  let t: TestApp;
  let base: string;
  let launchId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const manager = await t.principal('launch-manager');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Revoke', product: 'Revoke', targetDate: '2031-03-01', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
  });
  afterAll(() => t.close());

  const openStream = (token: string, signal?: AbortSignal) => fetch(`${base}/v1/launches/${launchId}/stream`, { headers: bearer(token), signal });

  it("ends a revoked principal's streams within a second and a half, and leaves other principals' streams open", async () => {
    const support = await t.principal('department', 'support', 'leaver');
    const supportId = (await t.http.get('/v1/me').set(bearer(support)).expect(200)).body.id as string;
    const auditor = await t.principal('auditor', undefined, 'stayer');
    const keep = new AbortController();
    try {
      const revokedStreams = [await openStream(support), await openStream(support)];
      const kept = await openStream(auditor, keep.signal);
      for (const response of [...revokedStreams, kept]) expect(response.status).toBe(200);
      expect(t.app.get(ReadinessStreams).openCount).toBe(3);

      await t.http.delete(`/v1/principals/${supportId}`).set(bearer(ADMIN_TOKEN)).expect(204);
      const revokedAt = Date.now();
      const ends = await Promise.all(revokedStreams.map((response) => readToEnd(response.body!, 3000)));
      for (const end of ends) {
        expect(end.endedAt - revokedAt).toBeLessThan(1500);
        expect(end.text).toMatch(/event: readiness/);
      }
      expect(t.app.get(ReadinessStreams).openCount).toBe(1);
      expect((await openStream(support)).status).toBe(401);
      await expect(readToEnd(kept.body!, 1500)).rejects.toThrow(/did not end/);
    } finally {
      keep.abort();
    }
  });
});
