import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'superagent';
import type { EventStore, EventToAppend } from '#event-store';
import { launchStreamId, type LaunchEvent } from '#launch';
import { sealEvent } from '#ledger';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { envelope } from '../apps/api/src/launches/shared/event-envelope.js';
import { EVENT_MAC_KEY } from '../apps/api/src/ledger/ledger-tokens.js';
import { csvObjects, historyEventFromCsv } from './support/audit-csv.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

const EVENTS = 10_000;

/** Collects a download as text whatever its content type. */
const asText = (res: Response, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

describe('audit: history exports of a 10,000-event launch', () => {
  let t: TestApp;
  let auditor: string;
  let launchId: string;
  let history: unknown[];

  beforeAll(async () => {
    t = await startTestApp();
    const manager = await t.principal('launch-manager');
    auditor = await t.principal('auditor');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Long, "busy" launch', product: 'P', targetDate: '2030-06-01', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    const task = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager)).expect(200)).body.tasks[0];

    // Straight into the store for speed, chained by the same envelope the commands use.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const macKey = t.app.get<Buffer>(EVENT_MAC_KEY);
    const streamId = launchStreamId(launchId);
    let prevHash = '';
    for await (const event of store.readStream(streamId)) prevHash = String(event.metadata.hash);
    const context = { actor: { id: 'u-1', name: 'Ops, "night shift"', role: 'launch-manager' as const }, correlationId: 'c-export', causationId: 'c-export' };
    for (let revision = 1; revision < EVENTS;) {
      const batch: EventToAppend[] = [];
      const expected = revision - 1;
      for (; revision < EVENTS && batch.length < 1000; revision++) {
        const event: LaunchEvent =
          revision % 2 === 1
            ? { type: 'TaskBlocked', data: { taskId: task.taskId, reason: `waiting, line ${revision}\n"quoted"` } }
            : { type: 'TaskUnblocked', data: { taskId: task.taskId, note: 'ok' } };
        const { stored, text } = envelope(
          event,
          { streamId, revision, prevHash, index: batch.length },
          context,
          new Date(Date.UTC(2030, 0, 1, 0, 0, revision)).toISOString(),
        );
        sealEvent(macKey, stored, text);
        prevHash = String(stored.metadata.hash);
        batch.push(stored);
      }
      await store.append(streamId, batch, expected);
    }
    // The per-launch exports carry no leafIndex (GET /v1/ledger/export does): compared without it.
    history = (await t.http.get(`/v1/launches/${launchId}/history?limit=${EVENTS}`).set(bearer(auditor)).expect(200)).body.events.map(
      ({ leafIndex: _leafIndex, ...event }: Record<string, unknown>) => event,
    );
  }, 60_000);
  afterAll(() => t.close());

  it('holds the whole chained history (the fixture is what it claims)', async () => {
    expect(history).toHaveLength(EVENTS);
    expect((await t.http.get(`/v1/launches/${launchId}/verify`).set(bearer(auditor)).expect(200)).body).toEqual({ launchId, valid: true, events: EVENTS });
  });

  it('streams ndjson as a download that parses back to the same events as the JSON history', async () => {
    const response = await t.http.get(`/v1/launches/${launchId}/history?format=ndjson`).set(bearer(auditor)).buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="launch-${launchId}-history.ndjson"`);
    expect(response.headers['content-length']).toBeUndefined(); // sent as it is read, not measured first
    const lines = (response.body as string).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(history);
  });

  it('streams csv as a download that parses back to the same events as the JSON history', async () => {
    const response = await t.http.get(`/v1/launches/${launchId}/history?format=csv`).set(bearer(auditor)).buffer(true).parse(asText).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="launch-${launchId}-history.csv"`);
    expect(response.headers['content-length']).toBeUndefined();
    const rows = csvObjects(response.body as string);
    expect(rows.map(historyEventFromCsv)).toEqual(history);
    expect(rows[1]).toMatchObject({ type: 'TaskBlocked', actorName: 'Ops, "night shift"', actorRole: 'launch-manager' });
  });

  it('answers a problem, not an empty download, for an unknown launch or format', async () => {
    const missing = await t.http.get('/v1/launches/00000000-0000-4000-8000-000000000000/history?format=csv').set(bearer(auditor)).expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    await t.http.get(`/v1/launches/${launchId}/history?format=xml`).set(bearer(auditor)).expect(400);
  });
});
