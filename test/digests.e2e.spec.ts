import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, utcDate } from '#launch';
import { verifySignature } from '../apps/api/src/webhooks/delivery/signature.js';
import { startReceiver, type Receiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const WEBHOOK_SECRET = 'digest-secret-0123456789';

describe('daily digests: e-mail through SMTP and DepartmentDigest webhooks, once per department and day', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let manager: string;
  const today = utcDate(new Date());
  let launchId: string;

  beforeAll(async () => {
    smtp = await startSmtpSink({ user: 'digest', pass: 'mail-secret' });
    receiver = await startReceiver();
    t = await startTestApp(
      { SMTP_URL: smtp.url, MAIL_FROM: 'Launch Control <lc@example.com>', DIGEST_SCHEDULE: 'off', PUBLIC_URL: 'https://lc.example.com' },
      { webhooks: { allowPrivate: true } },
    );
    manager = await t.principal('launch-manager');
    launchId = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Aurora GA', product: 'Aurora', targetDate: addDays(today, 60), tier: 3 })
        .expect(201)
    ).body.launchId;
    const addTask = async (title: string, department: string, dueDate: string) =>
      (await t.http.post(`/v1/launches/${launchId}/tasks`).set(bearer(manager)).send({ title, department, dueDate }).expect(201)).body.taskId as string;
    await addTask('Sign the DPA', 'legal', addDays(today, -2));
    await addTask('Review the terms', 'legal', addDays(today, 1));
    const blocked = await addTask('Clear the trademark', 'legal', addDays(today, 30));
    await t.http.post(`/v1/launches/${launchId}/tasks/${blocked}/block`).set(bearer(manager)).send({ reason: 'waiting for counsel' }).expect(200);
    await addTask('Train the reps', 'sales', addDays(today, 3));
    await addTask('Far away', 'finance', addDays(today, 40));
    await t.http
      .post('/v1/webhooks')
      .set(bearer(ADMIN_TOKEN))
      .send({ url: receiver.url, secret: WEBHOOK_SECRET, events: ['DepartmentDigest'] })
      .expect(201);
    await t.http
      .post('/v1/webhooks')
      .set(bearer(ADMIN_TOKEN))
      .send({ url: `${receiver.url}/launch-events-only`, secret: WEBHOOK_SECRET, events: ['TaskAdded'] })
      .expect(201);
    await t.http.put('/v1/departments/legal/settings').set(bearer(ADMIN_TOKEN)).send({ email: 'legal-team@example.com' }).expect(200);
    await t.http
      .get(`/v1/departments/legal/tasks?minPosition=${await t.headPosition()}`)
      .set(bearer(manager))
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await receiver?.close();
  });

  it("sends each department's digest: e-mail to its address, a signed DepartmentDigest to the webhooks that ask for it", async () => {
    const run = await t.http.post('/v1/admin/digests/run').set(bearer(ADMIN_TOKEN)).send({}).expect(200);
    expect(run.body.date).toBe(today);
    expect(run.body.skipped).toEqual([]);
    expect(run.body.sent).toEqual([
      { recipient: 'department:sales', email: 'no address', webhooks: { delivered: 1, failed: 0 }, items: 1 },
      { recipient: 'department:legal', email: 'sent', webhooks: { delivered: 1, failed: 0 }, items: 3 },
    ]);

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.to).toEqual(['legal-team@example.com']);
    expect(mail.from).toBe('lc@example.com');
    expect(mail.headers.subject).toBe(`Launch Control ${today} (legal): 1 overdue, 1 due within 3 days, 1 blocked`);
    expect(mail.text).toContain(
      `Overdue (1)\n  - Sign the DPA [legal, open] due ${addDays(today, -2)}, launch Aurora GA https://lc.example.com/#/launches/${launchId}`,
    );
    expect(mail.text).toContain(`Due within 3 days (1)\n  - Review the terms [legal, open] due ${addDays(today, 1)}`);
    expect(mail.text).toContain('Blocked (1)\n  - Clear the trademark [legal, blocked]');
    expect(mail.text).not.toContain('Train the reps');

    const deliveries = await receiver.waitFor(2);
    expect(deliveries.map((d) => d.body.data as { department: string }).map((d) => d.department)).toEqual(['sales', 'legal']);
    for (const delivery of deliveries) {
      expect(delivery.headers['launch-control-event-type']).toBe('DepartmentDigest');
      expect(verifySignature(WEBHOOK_SECRET, delivery.headers['launch-control-signature'] as string, delivery.raw, Math.floor(Date.now() / 1000))).toBe(true);
    }
    expect(deliveries[1].body).toMatchObject({
      type: 'DepartmentDigest',
      launchId: null, // a digest belongs to no launch
      data: {
        department: 'legal',
        date: today,
        overdue: [{ title: 'Sign the DPA', launchId, launchName: 'Aurora GA', dueDate: addDays(today, -2), status: 'open' }],
        dueSoon: [{ title: 'Review the terms' }],
        blocked: [{ title: 'Clear the trademark', status: 'blocked' }],
        stale: [],
      },
    });
    expect(receiver.received.some((r) => r.body.type === 'TaskAdded')).toBe(false); // webhooks without DepartmentDigest get none
  });

  it('sends nothing twice the same day: a second run lists them as already sent', async () => {
    const again = await t.http.post('/v1/admin/digests/run').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(again.body.sent).toEqual([]);
    expect(again.body.skipped.map((s: { recipient: string; reason: string }) => [s.recipient, s.reason])).toEqual([
      ['department:sales', 'already sent'],
      ['department:legal', 'already sent'],
    ]);
    expect(smtp.received).toHaveLength(1);
    expect(receiver.received.filter((r) => r.body.type === 'DepartmentDigest')).toHaveLength(2);
  });

  it("records the deliveries in the webhook's log, with no launch", async () => {
    const [webhook] = (await t.http.get('/v1/webhooks').set(bearer(ADMIN_TOKEN)).expect(200)).body as Array<{ id: string }>;
    const log = (await t.http.get(`/v1/webhooks/${webhook.id}/deliveries`).set(bearer(ADMIN_TOKEN)).expect(200)).body;
    expect(log).toEqual([
      expect.objectContaining({ type: 'DepartmentDigest', launchId: null, status: 'delivered', httpStatus: 204 }),
      expect.objectContaining({ type: 'DepartmentDigest', launchId: null, status: 'delivered', httpStatus: 204 }),
    ]);
  });

  it('lets only an admin run the digests', async () => {
    await t.http.post('/v1/admin/digests/run').set(bearer(manager)).expect(403);
    await t.http.post('/v1/admin/digests/run').expect(401);
  });
});

describe('department settings', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ DIGEST_SCHEDULE: 'off' });
  });
  afterAll(() => t.close());

  it('keeps the address an admin sets, and null unsets it', async () => {
    expect((await t.http.get('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).expect(200)).body).toEqual({
      department: 'sales',
      email: null,
      updatedAt: null,
    });
    const set = await t.http.put('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).send({ email: 'sales@example.com' }).expect(200);
    expect(set.body).toEqual({ department: 'sales', email: 'sales@example.com', updatedAt: expect.any(String) });
    expect((await t.http.get('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).expect(200)).body).toEqual(set.body);
    await t.http.put('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).send({ email: null }).expect(200);
    expect((await t.http.get('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).expect(200)).body.email).toBeNull();
  });

  it('refuses bad input with a 400 problem, an unknown department with 404, and changes nothing', async () => {
    await t.http.put('/v1/departments/legal/settings').set(bearer(ADMIN_TOKEN)).send({ email: 'legal@example.com' }).expect(200);
    for (const body of [
      {},
      { email: 'not an address' },
      { email: 42 },
      { email: 'legal@example.com', extra: true },
      { email: `${'x'.repeat(250)}@example.com` },
    ]) {
      const answer = await t.http.put('/v1/departments/legal/settings').set(bearer(ADMIN_TOKEN)).send(body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await t.http.put('/v1/departments/astrology/settings').set(bearer(ADMIN_TOKEN)).send({ email: null }).expect(404);
    expect((await t.http.get('/v1/departments/legal/settings').set(bearer(ADMIN_TOKEN)).expect(200)).body.email).toBe('legal@example.com');
  });

  it('is for admins only', async () => {
    const department = await t.principal('department', 'legal');
    await t.http.get('/v1/departments/legal/settings').set(bearer(department)).expect(403);
    await t.http.put('/v1/departments/legal/settings').set(bearer(department)).send({ email: null }).expect(403);
  });
});
