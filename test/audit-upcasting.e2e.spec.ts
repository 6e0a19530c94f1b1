import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { chain, type EventStore } from '#event-store';
import { launchStreamId } from '#launch';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { eventMac } from '#ledger';
import { EVENT_MAC_KEY } from '../apps/api/src/ledger/ledger-tokens.js';

/** A SalesTrained stored in its v1 shape (before repsTotal existed) is read in the current shape everywhere. */
describe('audit: events stored in an older schema', () => {
  let t: TestApp;
  let manager: string;
  const v1Details = { sessionDate: '2030-04-20', repsTrained: 17 };

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
  });
  afterAll(() => t.close());

  /** Given a tier-2 launch whose sales training was stored, at revision 2, as an older release wrote it. */
  const givenLegacySignOff = async () => {
    const launchId = (
      await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Old shape', product: 'P', targetDate: '2030-06-01', tier: 2 }).expect(201)
    ).body.launchId as string;
    const tasks = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager)).expect(200)).body.tasks;
    const salesTaskId = tasks.find((task: { kind: string }) => task.kind === 'sales-training').taskId as string;
    const messaging = tasks.find((task: { kind: string }) => task.kind === 'messaging').taskId;
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${messaging}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://d.example.com/m', version: '1' } })
      .expect(200);

    // As an older release wrote it: no repsTotal in the details, no schemaVersion in the metadata.
    const store = t.app.get<EventStore>(EVENT_STORE);
    const streamId = launchStreamId(launchId);
    let prevHash = '';
    for await (const event of store.readStream(streamId)) prevHash = String(event.metadata.hash);
    const data = { taskId: salesTaskId, note: 'legacy import', details: v1Details };
    const metadata = {
      actor: { id: 'legacy', name: 'Legacy', role: 'department', department: 'sales' },
      occurredAt: '2030-04-20T10:00:00.000Z',
      correlationId: 'legacy',
      causationId: 'legacy',
    };
    const eventId = randomUUID();
    const chained = chain({ streamId, revision: 2, type: 'SalesTrained', data, metadata }, prevHash);
    // Appended through this server, so authenticated by its ledger key (adopting events from before the key: ledger-keeper.int.spec.ts).
    chained.mac = eventMac(t.app.get<Buffer>(EVENT_MAC_KEY), eventId, String(chained.hash));
    const { position } = await store.append(streamId, [{ eventId, type: 'SalesTrained', data, metadata: chained }], 1);
    const salesTask = (launch: { tasks: Array<{ taskId: string }> }) => launch.tasks.find((task) => task.taskId === salesTaskId);
    return { launchId, salesTaskId, position, salesTask };
  };

  it('projects the old event upcast: the live view shows repsTotal', async () => {
    const { launchId, position, salesTask } = await givenLegacySignOff();
    const launch = (await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200)).body;
    expect(salesTask(launch)).toMatchObject({ status: 'completed', details: { ...v1Details, repsTotal: 17 } });
  });

  it('folds the old event upcast for time travel', async () => {
    const { launchId, salesTask } = await givenLegacySignOff();
    const launch = (await t.http.get(`/v1/launches/${launchId}?atRevision=2`).set(bearer(manager)).expect(200)).body;
    expect(salesTask(launch)).toMatchObject({ status: 'completed', details: { ...v1Details, repsTotal: 17 } });
  });

  it('rebuilds command state from the old event: the task counts as completed', async () => {
    const { launchId, salesTaskId } = await givenLegacySignOff();
    // Completing it again is refused only if the runner folded the v1 event into a completed task.
    const again = await t.http
      .post(`/v1/launches/${launchId}/tasks/${salesTaskId}/complete`)
      .set(bearer(manager))
      .send({ details: { sessionDate: '2030-04-21', repsTrained: 1, repsTotal: 2 } })
      .expect(409);
    expect(again.body.detail).toBe('the task is already completed');
    const reopened = await t.http.post(`/v1/launches/${launchId}/tasks/${salesTaskId}/reopen`).set(bearer(manager)).send({ reason: 'retrain' }).expect(200);
    expect(reopened.body.revision).toBe(3);
  });

  it('never rewrites the stored event: history and the database keep the old shape, and the chain verifies', async () => {
    const { launchId, salesTaskId } = await givenLegacySignOff();
    await t.http.post(`/v1/launches/${launchId}/tasks/${salesTaskId}/reopen`).set(bearer(manager)).send({ reason: 'retrain' }).expect(200);
    const history = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(manager)).expect(200)).body.events;
    expect(history[2]).toMatchObject({ type: 'SalesTrained', data: { details: v1Details } });
    expect(history[2].metadata.schemaVersion).toBeUndefined();
    const db = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT data FROM events WHERE stream_id = ? AND revision = 2').get(launchStreamId(launchId)) as { data: string };
      expect(JSON.parse(row.data).details).toEqual(v1Details);
    } finally {
      db.close();
    }
    expect((await t.http.get(`/v1/launches/${launchId}/verify`).set(bearer(manager)).expect(200)).body).toEqual({ launchId, valid: true, events: 4 });
  });

  it('records new events with their schema version', async () => {
    const { launchId, salesTaskId } = await givenLegacySignOff();
    await t.http.post(`/v1/launches/${launchId}/tasks/${salesTaskId}/reopen`).set(bearer(manager)).send({ reason: 'retrain' }).expect(200);
    const done = await t.http
      .post(`/v1/launches/${launchId}/tasks/${salesTaskId}/complete`)
      .set(bearer(manager))
      .send({ details: { sessionDate: '2030-04-22', repsTrained: 5, repsTotal: 9 } })
      .expect(200);
    const history = (await t.http.get(`/v1/launches/${launchId}/history?fromRevision=${done.body.revision}`).set(bearer(manager)).expect(200)).body.events;
    expect(history[0]).toMatchObject({ type: 'SalesTrained', metadata: { schemaVersion: 2 }, data: { details: { repsTotal: 9 } } });
  });
});
