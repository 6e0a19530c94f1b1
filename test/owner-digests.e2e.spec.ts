import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addDays, utcDate } from '#launch';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const ada = { name: 'Ada Lovelace', email: 'Ada.Lovelace@Example.com' };
const grace = { name: 'Grace Hopper', email: 'grace@example.com' };

type Sent = { recipient: string; email: string; items: number };

describe('owners get their own digest: assigned over HTTP, e-mailed once through a real SMTP server', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let manager: string;
  const today = utcDate(new Date());
  const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));

  beforeAll(async () => {
    smtp = await startSmtpSink({ user: 'digest', pass: 'mail-secret' });
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Launch Control <lc@example.com>', DIGEST_SCHEDULE: 'off', PUBLIC_URL: 'https://lc.example.com' });
    manager = await t.principal('launch-manager');
    const launch = async (name: string) =>
      (
        await t.http
          .post('/v1/launches')
          .set(bearer(manager))
          .send({ name, product: name, targetDate: addDays(today, 60), tier: 3 })
          .expect(201)
      ).body.launchId as string;
    const send = async (method: 'post' | 'patch', path: string, body: object) => (await t.http[method](path).set(bearer(manager)).send(body)).body;
    const task = async (launchId: string, title: string, department: string, dueDate: string, owner?: object) => {
      const { taskId } = await send('post', `/v1/launches/${launchId}/tasks`, { title, department, dueDate });
      if (owner) expect((await send('patch', `/v1/launches/${launchId}/tasks/${taskId}`, { owner })).events).toEqual(['TaskAssigned']);
      return taskId as string;
    };

    const aurora = await launch('Aurora GA');
    await task(aurora, 'Sign the DPA', 'legal', addDays(today, -2), ada);
    await task(aurora, 'Review the terms', 'legal', addDays(today, 1), grace);
    await task(aurora, 'Unowned and overdue', 'legal', addDays(today, -1));
    const blocked = await task(aurora, 'Train the reps', 'sales', addDays(today, 20), ada);
    await send('post', `/v1/launches/${aurora}/tasks/${blocked}/block`, { reason: 'no trainer yet' });
    await task(aurora, 'Far away', 'finance', addDays(today, 40), ada);
    const done = await task(aurora, 'Already done', 'finance', addDays(today, 1), ada);
    await send('post', `/v1/launches/${aurora}/tasks/${done}/waive`, { reason: 'not needed' });

    // Ada's until reassigned to Grace; Ada's until unassigned: the digest follows the task's owner now.
    const reassigned = await task(aurora, 'Approve the invoice terms', 'finance', addDays(today, 2), ada);
    expect((await send('patch', `/v1/launches/${aurora}/tasks/${reassigned}`, { owner: grace })).events).toEqual(['TaskAssigned']);
    const unassigned = await task(aurora, 'Brief the agency', 'marketing', addDays(today, -1), ada);
    expect((await send('patch', `/v1/launches/${aurora}/tasks/${unassigned}`, { owner: null })).events).toEqual(['TaskUnassigned']);

    const borealis = await launch('Borealis');
    // The same person under another spelling of the address, in another launch and department.
    await task(borealis, 'Publish the pricing page', 'marketing', addDays(today, 3), { ...ada, email: 'ADA.LOVELACE@example.com' });
    const cancelled = await launch('Cirrus');
    await task(cancelled, 'Dropped with its launch', 'legal', addDays(today, -3), ada);
    await send('post', `/v1/launches/${cancelled}/cancel`, { reason: 'dropped' });
    await t.http.put('/v1/departments/legal/settings').set(bearer(ADMIN_TOKEN)).send({ email: 'legal-team@example.com' }).expect(200);
    await t.http
      .get(`/v1/tasks?owner=${ada.email}&minPosition=${await t.headPosition()}`)
      .set(bearer(manager))
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('e-mails each owner one digest of their own tasks across launches and departments, and only theirs', async () => {
    const run = await t.http.post('/v1/admin/digests/run').set(bearer(ADMIN_TOKEN)).send({}).expect(200);
    const owners = (run.body.sent as Sent[]).filter((sent) => sent.recipient.startsWith('owner:'));
    expect(owners).toEqual([
      { recipient: 'owner:ada.lovelace@example.com', email: 'sent', items: 3 },
      { recipient: 'owner:grace@example.com', email: 'sent', items: 2 },
    ]);

    const [adaMail, ...moreForAda] = mailsTo('ada.lovelace@example.com');
    expect(moreForAda).toEqual([]);
    expect(adaMail!.to).toEqual(['ada.lovelace@example.com']);
    expect(adaMail!.from).toBe('lc@example.com');
    expect(adaMail!.headers.subject).toBe(`Launch Control ${today} (Ada Lovelace): 1 overdue, 1 due within 3 days, 1 blocked`);
    expect(adaMail!.text).toContain(
      `Overdue (1)\n  - Sign the DPA [legal, open] due ${addDays(today, -2)}, launch Aurora GA https://lc.example.com/#/launches/`,
    );
    expect(adaMail!.text).toContain(`Due within 3 days (1)\n  - Publish the pricing page [marketing, open] due ${addDays(today, 3)}, launch Borealis`);
    expect(adaMail!.text).toContain('Blocked (1)\n  - Train the reps [sales, blocked]');
    for (const notHers of [
      'Review the terms',
      'Approve the invoice terms',
      'Brief the agency',
      'Unowned and overdue',
      'Far away',
      'Already done',
      'Dropped with its launch',
    ]) {
      expect(adaMail!.text).not.toContain(notHers);
    }

    const [graceMail, ...moreForGrace] = mailsTo('grace@example.com');
    expect(moreForGrace).toEqual([]);
    expect(graceMail!.headers.subject).toBe(`Launch Control ${today} (Grace Hopper): 2 due within 3 days`);
    expect(graceMail!.text).toContain('Review the terms [legal, open]');
    expect(graceMail!.text).toContain('Approve the invoice terms [finance, open]');
    expect(graceMail!.text).not.toMatch(/Sign the DPA|Unowned|Train the reps|pricing page|Brief the agency/);

    // The department's own digest still goes to the department, with every legal task, owned or not.
    const [legalMail] = mailsTo('legal-team@example.com');
    expect(legalMail!.text).toMatch(/Sign the DPA[\s\S]*Unowned and overdue|Unowned and overdue[\s\S]*Sign the DPA/);
    expect(legalMail!.text).toContain('Review the terms');
    expect(smtp.received).toHaveLength(3);
  });

  it('a second run the same day sends the owners nothing and says they were already sent', async () => {
    const again = await t.http.post('/v1/admin/digests/run').set(bearer(ADMIN_TOKEN)).send({}).expect(200);
    expect(again.body.sent).toEqual([]);
    expect(
      (again.body.skipped as Array<{ recipient: string; reason: string }>).filter((s) => s.recipient.startsWith('owner:')).map((s) => [s.recipient, s.reason]),
    ).toEqual([
      ['owner:ada.lovelace@example.com', 'already sent'],
      ['owner:grace@example.com', 'already sent'],
    ]);
    expect(smtp.received).toHaveLength(3);
  });
});
