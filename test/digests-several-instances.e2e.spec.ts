import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays, utcDate } from '#launch';
import { startReceiver, type Receiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { ApiProcess, freePort } from './support/api-process.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ADMIN_TOKEN } from './support/test-app.js';

async function call(api: ApiProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Two real API processes on one DATA_DIR, both scheduling the daily digest (DIGEST_TIME 00:00, so
 * it is due at once) while an operator runs it through both at the same moment: every digest is
 * e-mailed and delivered exactly once.
 */
describe('daily digests with two API processes on one DATA_DIR', () => {
  let dataDir: string;
  let smtp: SmtpSink;
  let receiver: Receiver;
  let a: ApiProcess;
  let b: ApiProcess;
  const today = utcDate(new Date());

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'digests-instances-'));
    smtp = await startSmtpSink();
    receiver = await startReceiver();
    const env = {
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      RATE_LIMIT: '0',
      LEASE_TTL_MS: '1500',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      SMTP_URL: smtp.url,
      DIGEST_SCHEDULE: 'off',
    };
    a = new ApiProcess(await freePort(), { env });
    b = new ApiProcess(await freePort(), { env: { ...env, DIGEST_SCHEDULE: 'on', DIGEST_TIME: '00:00' } });
    await a.start();
    // The second process schedules the digests: it starts only once there is something to send.
    const created = await call(a, 'POST', '/v1/launches', { name: 'Comet', product: 'Comet', targetDate: addDays(today, 60), tier: 3 });
    expect(created.status).toBe(201);
    const launchId = created.body.launchId as string;
    for (const [title, department, due] of [
      ['Sign the DPA', 'legal', -1],
      ['Train the reps', 'sales', 2],
      ['Price it', 'finance', 0],
    ] as const) {
      expect((await call(a, 'POST', `/v1/launches/${launchId}/tasks`, { title, department, dueDate: addDays(today, due) })).status).toBe(201);
    }
    for (const department of ['legal', 'sales', 'finance']) {
      expect((await call(a, 'PUT', `/v1/departments/${department}/settings`, { email: `${department}@example.com` })).status).toBe(200);
    }
    expect((await call(a, 'POST', '/v1/webhooks', { url: receiver.url, secret: 'digest-secret-0123456789', events: ['DepartmentDigest'] })).status).toBe(201);
    const position = created.body.position as number;
    expect((await call(a, 'GET', `/v1/departments/legal/tasks?minPosition=${position + 3}`)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await smtp?.close();
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends each digest once although both processes run them at the same moment and one schedules them too', async () => {
    // The second process takes the daily-digest lease as it starts and runs the day's digests on its own; the operator's runs race it.
    await b.start();
    const runs = await Promise.all([
      call(a, 'POST', '/v1/admin/digests/run'),
      call(b, 'POST', '/v1/admin/digests/run'),
      call(a, 'POST', '/v1/admin/digests/run'),
    ]);
    for (const run of runs) expect(run.status).toBe(200);

    const deadline = Date.now() + 15_000;
    while (smtp.received.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    // Give a duplicate, if there were one, the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.received.map((mail) => mail.to.join()).sort()).toEqual(['finance@example.com', 'legal@example.com', 'sales@example.com']);
    const digests = receiver.received.map((r) => (r.body.data as { department: string }).department).sort();
    expect(digests).toEqual(['finance', 'legal', 'sales']);

    // Across the three answers, each department was sent by exactly one run (the scheduler may have sent it before them all).
    const sentByRuns = runs.flatMap((run) => (run.body.sent as Array<{ recipient: string }>).map((s) => s.recipient));
    expect(new Set(sentByRuns).size).toBe(sentByRuns.length);
    for (const run of runs) {
      const recipients = [...(run.body.sent as Array<{ recipient: string }>), ...(run.body.skipped as Array<{ recipient: string }>)]
        .map((s) => s.recipient)
        .sort();
      expect(recipients).toEqual(['department:finance', 'department:legal', 'department:sales']);
    }
    expect(b.output).toMatch(/lease daily-digest: taken by/);
  });
});

/**
 * At most once, after a SIGKILL: a process killed while its SMTP server holds the digest (claimed,
 * not yet marked sent) leaves it claimed, and the next process never sends it again.
 */
describe('a digest whose sending a SIGKILL cut', () => {
  let dataDir: string;
  let hanging: SmtpSink;
  let working: SmtpSink;
  let first: ApiProcess;
  let second: ApiProcess;
  const today = utcDate(new Date());
  const env = () => ({ DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0', LEASE_TTL_MS: '1500', DIGEST_SCHEDULE: 'off' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'digests-killed-'));
    hanging = await startSmtpSink(undefined, { hang: true });
    working = await startSmtpSink();
    first = new ApiProcess(await freePort(), { env: { ...env(), SMTP_URL: hanging.url } });
    second = new ApiProcess(await freePort(), { env: { ...env(), SMTP_URL: working.url } });
    await first.start();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([first?.stop('SIGKILL'), second?.stop()]);
    await hanging?.close();
    await working?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is never sent again: the next run reports it as being sent and e-mails only the others', async () => {
    const created = await call(first, 'POST', '/v1/launches', { name: 'Nova', product: 'Nova', targetDate: addDays(today, 60), tier: 3 });
    const launchId = created.body.launchId as string;
    expect((await call(first, 'POST', `/v1/launches/${launchId}/tasks`, { title: 'Train the reps', department: 'sales', dueDate: today })).status).toBe(201);
    const added = await call(first, 'POST', `/v1/launches/${launchId}/tasks`, { title: 'Sign the DPA', department: 'legal', dueDate: today });
    for (const department of ['sales', 'legal']) {
      expect((await call(first, 'PUT', `/v1/departments/${department}/settings`, { email: `${department}@example.com` })).status).toBe(200);
    }
    expect((await call(first, 'GET', `/v1/departments/legal/tasks?minPosition=${added.body.position}`)).status).toBe(200);

    // Sales comes first in the catalog: its message reaches the hanging server, which never answers.
    const cut = call(first, 'POST', '/v1/admin/digests/run').catch((error: unknown) => error);
    const deadline = Date.now() + 15_000;
    while (hanging.receiving.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hanging.receiving).toEqual([['sales@example.com']]);
    await first.stop('SIGKILL');
    await cut;

    await second.start();
    const next = await call(second, 'POST', '/v1/admin/digests/run');
    expect(next.status).toBe(200);
    expect(next.body.skipped).toEqual([{ recipient: 'department:sales', reason: 'being sent', at: expect.any(String) }]);
    expect(next.body.sent.map((s: { recipient: string }) => s.recipient)).toEqual(['department:legal']);
    expect(working.received.map((mail) => mail.to)).toEqual([['legal@example.com']]);
  });
});
