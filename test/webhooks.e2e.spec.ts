import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { startReceiver, type ReceivedRequest, type Receiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'whsec-0123456789abcdef';
// allowPrivate (WEBHOOK_ALLOW_PRIVATE=true): the receivers are on loopback.
const FAST = { webhooks: { retry: { minDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000, allowPrivate: true } };

interface HistoryEvent {
  position: number;
  eventId: string;
  type: string;
}

const eventIds = (requests: ReceivedRequest[]) => requests.map((r) => r.body.eventId);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhooks: signed, ordered, at-least-once deliveries of launch events', () => {
  let t: TestApp;
  let manager: string;
  const admin = bearer(ADMIN_TOKEN);
  const receivers: Receiver[] = [];

  const receiver = async (answer?: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  };
  const createWebhook = async (body: Record<string, unknown>) =>
    (
      await t.http
        .post('/v1/webhooks')
        .set(admin)
        .send({ secret: SECRET, ...body })
        .expect(201)
    ).body;

  /** A tier 3 launch and a block/unblock of one of its tasks; its history, oldest first. */
  const launchWithActivity = async (name: string) => {
    const { launchId } = (await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-06-01', tier: 3 }).expect(201))
      .body;
    const { tasks } = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager)).expect(200)).body;
    const taskId = tasks[0].taskId;
    await t.http.post(`/v1/launches/${launchId}/tasks/${taskId}/block`).set(bearer(manager)).send({ reason: 'waiting for legal' }).expect(200);
    await t.http.post(`/v1/launches/${launchId}/tasks/${taskId}/unblock`).set(bearer(manager)).send({ note: 'cleared' }).expect(200);
    const { events } = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(manager)).expect(200)).body;
    return { launchId, events: events as HistoryEvent[] };
  };

  beforeAll(async () => {
    t = await startTestApp({}, FAST);
    manager = await t.principal('launch-manager');
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('retries a receiver that fails twice, then delivers every event once, in order, signed, shaped as the history shows it', async () => {
    const hooks = await receiver((n) => (n < 2 ? 500 : 200));
    const webhook = await createWebhook({ url: hooks.url });
    const { launchId, events } = await launchWithActivity('Retried');

    const received = await hooks.waitFor(events.length + 2);
    // the first event three times (500, 500, 200), then each of the others once
    expect(eventIds(received)).toEqual([events[0].eventId, events[0].eventId, ...events.map((e) => e.eventId)]);
    expect(received.map((r) => r.headers['launch-control-delivery-attempt'])).toEqual(['1', '2', '3', ...events.slice(1).map(() => '1')]);
    for (const request of received) {
      const { launchId: deliveredFor, streamId, ...event } = request.body;
      expect(deliveredFor).toBe(launchId);
      expect(streamId).toBe(`launch-${launchId}`);
      // As history shows it, less the ledger's leafIndex (not known yet when an event goes out).
      const { leafIndex: _leafIndex, ...shown } = events.find((e) => e.eventId === request.body.eventId) as HistoryEvent & { leafIndex?: number | null };
      expect(event).toEqual(shown);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['launch-control-event-id']).toBe(request.body.eventId);
      expect(request.headers['user-agent']).toMatch(/^LaunchControl-Webhooks\//);
      const signature = request.headers['launch-control-signature'] as string;
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      // what a receiver does: HMAC-SHA256 over "<t>.<raw body>" with the secret, t close to its clock
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature)!;
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${request.raw}`).digest('hex'));
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(60);
    }

    await pause(150);
    expect(hooks.received).toHaveLength(events.length + 2); // nothing delivered twice once it succeeded

    const deliveries = (await t.http.get(`/v1/webhooks/${webhook.id}/deliveries`).set(admin).expect(200)).body;
    expect(deliveries).toHaveLength(events.length + 2);
    const oldestFirst = [...deliveries].reverse();
    expect(oldestFirst.slice(0, 3)).toEqual([
      expect.objectContaining({
        eventId: events[0].eventId,
        position: events[0].position,
        type: events[0].type,
        launchId,
        attempt: 1,
        status: 'failed',
        httpStatus: 500,
      }),
      expect.objectContaining({ eventId: events[0].eventId, attempt: 2, status: 'failed', httpStatus: 500, error: expect.any(String) }),
      expect.objectContaining({ eventId: events[0].eventId, attempt: 3, status: 'delivered', httpStatus: 200 }),
    ]);
    expect(oldestFirst.slice(3).every((d: { status: string; attempt: number }) => d.status === 'delivered' && d.attempt === 1)).toBe(true);
    expect(deliveries[0]).toEqual({
      eventId: events.at(-1)!.eventId,
      position: events.at(-1)!.position,
      type: events.at(-1)!.type,
      launchId,
      attempt: 1,
      status: 'delivered',
      httpStatus: 200,
      at: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect((await t.http.get(`/v1/webhooks/${webhook.id}/deliveries?limit=2`).set(admin).expect(200)).body).toEqual(deliveries.slice(0, 2));

    const state = (await t.http.get(`/v1/webhooks/${webhook.id}`).set(admin).expect(200)).body;
    expect(state).toMatchObject({ id: webhook.id, url: hooks.url, position: events.at(-1)!.position, state: 'idle', secretSet: true });
    expect(JSON.stringify(state)).not.toContain(SECRET);
  });

  it('shows a failing receiver as retrying with its last error, and holds later events back until it answers', async () => {
    let up = false;
    const hooks = await receiver(() => (up ? 200 : 503));
    const webhook = await createWebhook({ url: hooks.url });
    const { events } = await launchWithActivity('Held back');

    await hooks.waitFor(3);
    const state = (await t.http.get(`/v1/webhooks/${webhook.id}`).set(admin).expect(200)).body;
    expect(state).toMatchObject({ state: 'retrying', lastError: { httpStatus: 503, eventId: events[0].eventId }, nextAttemptAt: expect.any(String) });
    expect(new Set(eventIds(hooks.received))).toEqual(new Set([events[0].eventId]));

    up = true;
    const delivered = async () => hooks.received.filter((r) => r.status === 200);
    while ((await delivered()).length < events.length) await pause(10);
    expect(eventIds(await delivered())).toEqual(events.map((e) => e.eventId));
    const failed = hooks.received.filter((r) => r.status !== 200);
    expect(new Set(eventIds(failed))).toEqual(new Set([events[0].eventId]));
    expect(hooks.received.indexOf(failed.at(-1)!)).toBeLessThan(hooks.received.findIndex((r) => r.status === 200));
  });

  it('replays from position 0: every launch event again, in position order', async () => {
    const hooks = await receiver();
    const webhook = await createWebhook({ url: hooks.url });
    const { events } = await launchWithActivity('Replayed');
    await hooks.waitFor(events.length);

    const everything = await allLaunchEvents();
    const replay = await t.http.post(`/v1/webhooks/${webhook.id}/replay`).set(admin).send({ fromPosition: 0 }).expect(202);
    expect(replay.body).toMatchObject({ id: webhook.id, fromPosition: 0 });
    const received = await hooks.waitFor(events.length + everything.length);
    const replayed = received.slice(events.length);
    expect(eventIds(replayed)).toEqual(everything.map((e) => e.eventId));
    const positions = replayed.map((r) => r.body.position as number);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('replays from a given position: only the events at or after it', async () => {
    const hooks = await receiver();
    const webhook = await createWebhook({ url: hooks.url });
    const { events } = await launchWithActivity('Partly replayed');
    await hooks.waitFor(events.length);

    await t.http.post(`/v1/webhooks/${webhook.id}/replay`).set(admin).send({ fromPosition: events[1].position }).expect(202);
    const received = await hooks.waitFor(events.length * 2 - 1);
    expect(eventIds(received.slice(events.length))).toEqual(events.slice(1).map((e) => e.eventId));
  });

  it('delivers only the event types a webhook asked for', async () => {
    const hooks = await receiver();
    await createWebhook({ url: hooks.url, events: ['TaskBlocked', 'TaskUnblocked'] });
    const { events } = await launchWithActivity('Filtered');
    const wanted = events.filter((e) => e.type === 'TaskBlocked' || e.type === 'TaskUnblocked');
    expect(wanted).toHaveLength(2);
    await hooks.waitFor(2);
    await pause(150);
    expect(eventIds(hooks.received)).toEqual(wanted.map((e) => e.eventId));
  });

  it('delivers the stored events from fromPosition when a webhook is created with it', async () => {
    const { events } = await launchWithActivity('Before the webhook');
    const hooks = await receiver();
    const webhook = await createWebhook({ url: hooks.url, fromPosition: events[0].position });
    expect(webhook.position).toBe(events[0].position - 1);
    const received = await hooks.waitFor(events.length);
    expect(eventIds(received)).toEqual(events.map((e) => e.eventId));
  });

  it('stops delivering to a deleted webhook', async () => {
    const hooks = await receiver();
    const webhook = await createWebhook({ url: hooks.url });
    await t.http.delete(`/v1/webhooks/${webhook.id}`).set(admin).expect(204);
    await t.http.get(`/v1/webhooks/${webhook.id}`).set(admin).expect(404);
    await launchWithActivity('After deletion');
    await pause(150);
    expect(hooks.received).toHaveLength(0);
  });

  /** Every launch event in the store, in global order, as the history endpoint shows them. */
  async function allLaunchEvents(): Promise<HistoryEvent[]> {
    const launches = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)).body as Array<{ launchId: string }>;
    const histories = await Promise.all(
      launches.map(
        async ({ launchId }) => (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(manager)).expect(200)).body.events as HistoryEvent[],
      ),
    );
    return histories.flat().sort((a, b) => a.position - b.position);
  }
});
