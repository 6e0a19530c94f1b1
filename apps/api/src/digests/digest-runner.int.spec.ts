import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openAccessDatabase } from '../infrastructure/sqlite-access-store.js';
import { InMemoryWebhookStore } from '../webhooks/test/fakes.js';
import { DEFAULT_WEBHOOK_OPTIONS } from '../webhooks/delivery/webhook-options.js';
import type { Mail } from './digest-channels.js';
import { DigestRunner } from './digest-runner.js';
import { SqliteDigestLog } from './storage/digest-log.js';

const TASKS = [
  {
    id: 't1',
    position: 1,
    launchId: 'l1',
    launchName: 'Aurora',
    launchStatus: 'planning',
    targetDate: '2027-04-01',
    taskId: 't1',
    title: 'Sign',
    department: 'legal',
    dueDate: '2027-03-01',
    status: 'open',
  },
  {
    id: 't2',
    position: 1,
    launchId: 'l1',
    launchName: 'Aurora',
    launchStatus: 'planning',
    targetDate: '2027-04-01',
    taskId: 't2',
    title: 'Train',
    department: 'sales',
    dueDate: '2027-03-11',
    status: 'open',
  },
];
const NOW = new Date('2027-03-10T08:00:00Z');

/** A runner on its own connection to the shared access.sqlite, as another process would have. */
function runnerOn(db: Database.Database, mailer: { send(mail: Mail): Promise<void> } | undefined, tasks: readonly object[] = TASKS) {
  return new DigestRunner({
    views: { find: async <T>() => tasks as unknown as T[] },
    log: new SqliteDigestLog(db),
    settings: {
      list: async () => [
        { department: 'legal', email: 'legal@example.com', updatedAt: null },
        { department: 'sales', email: 'sales@example.com', updatedAt: null },
      ],
    },
    mailer,
    webhooks: {
      webhooks: new InMemoryWebhookStore(),
      secrets: { reveal: () => 'x' },
      sender: { send: async () => ({ status: 204 }) },
      options: DEFAULT_WEBHOOK_OPTIONS,
    },
    timezone: 'UTC',
    warn: () => undefined,
  });
}

describe('digest runner on one access.sqlite shared by several connections', () => {
  let dir: string;
  const connections: Database.Database[] = [];
  const open = () => {
    const db = openAccessDatabase(join(dir, 'access.sqlite'));
    connections.push(db);
    return db;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'digest-runner-'));
  });
  afterEach(() => {
    connections.splice(0).forEach((db) => db.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each digest once when runners race', async () => {
    const sent: string[] = [];
    const mailer = { send: async (mail: Mail) => void sent.push(mail.to) };
    const runs = await Promise.all([1, 2, 3, 4].map(() => runnerOn(open(), mailer).run(NOW)));
    expect(sent.sort()).toEqual(['legal@example.com', 'sales@example.com']);
    expect(runs.flatMap((run) => run.sent.map((s) => s.recipient)).sort()).toEqual(['department:legal', 'department:sales']);
    expect(runs.flatMap((run) => run.skipped)).toHaveLength(6);
  });

  it('never sends again a digest whose sending was cut (a process killed after the claim): the next run reports it as being sent', async () => {
    const cut = runnerOn(open(), { send: () => new Promise<void>(() => undefined) }); // the SMTP call never returns: as if killed there
    void cut.run(NOW);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sent: string[] = [];
    const next = await runnerOn(open(), { send: async (mail) => void sent.push(mail.to) }).run(NOW);
    // Departments go in catalog order: the cut run had claimed sales, and never got to legal.
    expect(next.skipped).toEqual([{ recipient: 'department:sales', reason: 'being sent', at: expect.any(String) }]);
    expect(sent).toEqual(['legal@example.com']);
  });

  it('sends the next day again', async () => {
    const sent: string[] = [];
    const runner = runnerOn(open(), { send: async (mail) => void sent.push(mail.to) });
    await runner.run(NOW);
    const tomorrow = await runner.run(new Date('2027-03-11T08:00:00Z'));
    expect(tomorrow.date).toBe('2027-03-11');
    expect(sent).toHaveLength(4);
  });

  it("e-mails each owner their own tasks once, besides the departments' digests; without SMTP_URL owners get nothing", async () => {
    const owned = TASKS.map((task) => ({ ...task, owner: { name: 'Kim', email: 'kim@example.com' } }));
    const mails: Mail[] = [];
    const first = await runnerOn(open(), { send: async (mail) => void mails.push(mail) }, owned).run(NOW);
    await runnerOn(open(), { send: async (mail) => void mails.push(mail) }, owned).run(NOW);
    expect(mails.map((mail) => mail.to).sort()).toEqual(['kim@example.com', 'legal@example.com', 'sales@example.com']);
    const kim = mails.find((mail) => mail.to === 'kim@example.com')!;
    expect(kim.subject).toBe('Launch Control 2027-03-10 (Kim): 1 overdue, 1 due within 3 days');
    expect(kim.text).toContain('Sign [legal, open]');
    expect(kim.text).toContain('Train [sales, open]');
    expect(first.sent.map((s) => s.recipient)).toEqual(['department:sales', 'department:legal', 'owner:kim@example.com']);

    const withoutSmtp = await runnerOn(open(), undefined, owned).run(new Date('2027-03-12T08:00:00Z'));
    expect(withoutSmtp.sent.map((s) => [s.recipient, s.email])).toEqual([
      ['department:sales', 'no SMTP_URL'],
      ['department:legal', 'no SMTP_URL'],
    ]);
  });
});
