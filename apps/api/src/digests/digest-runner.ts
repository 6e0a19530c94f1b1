import { DEPARTMENT_TASKS, type DepartmentTaskView, type ReadModelStore } from '#read-models';
import type { DepartmentSettingsStore } from '../departments/settings/department-settings-store.js';
import { deliverDigest, digestReceivers, type DigestWebhooksDeps, type Mail } from './digest-channels.js';
import { composeDigests, digestEmail, type DepartmentDigest, type DigestTask, type OwnerDigest } from './digest-composition.js';
import { localTime } from './digest-config.js';
import type { DigestLog } from './storage/digest-log.js';

export interface DigestRunnerDeps {
  views: Pick<ReadModelStore, 'find'>;
  log: DigestLog;
  settings: Pick<DepartmentSettingsStore, 'list'>;
  /** Undefined without SMTP_URL: no e-mail is sent. */
  mailer?: { send(mail: Mail): Promise<void> };
  webhooks: DigestWebhooksDeps;
  timezone: string;
  /** Where the dashboard is, for links in e-mails (PUBLIC_URL); none without it. */
  dashboardUrl?: string;
  warn(message: string): void;
}

/** One digest this run sent: to whom, and what each channel did. */
export interface SentDigest {
  recipient: string;
  email: 'sent' | 'no address' | 'no SMTP_URL' | 'failed';
  webhooks?: { delivered: number; failed: number };
  items: number;
}

/** One digest of today a run did not send: sent before, or claimed by a run that is sending it (or stopped while sending it: then it stays unsent). */
export interface SkippedDigest {
  recipient: string;
  reason: 'already sent' | 'being sent';
  at: string;
}

export interface DigestRun {
  date: string;
  sent: SentDigest[];
  skipped: SkippedDigest[];
}

const itemCount = (d: DepartmentDigest | OwnerDigest) => d.overdue.length + d.dueSoon.length + d.blocked.length + d.stale.length;

/**
 * Today's digests, each sent at most once whatever number of processes run this at once: each is
 * claimed in the digest log (a unique key per day and recipient) before anything is sent, and
 * marked sent afterwards. A department or owner with nothing to report gets nothing.
 */
export class DigestRunner {
  constructor(private readonly deps: DigestRunnerDeps) {}

  async run(now: Date): Promise<DigestRun> {
    const { date } = localTime(now, this.deps.timezone);
    const tasks = await this.deps.views.find<DepartmentTaskView>(DEPARTMENT_TASKS, {
      where: { status: { in: ['open', 'blocked', 'stale'] } },
    });
    const { departments, owners } = composeDigests(tasks as DigestTask[], date);
    // Everything a digest needs is read before the first claim: a store that cannot answer fails the run, not a claimed digest.
    const addresses = new Map((await this.deps.settings.list()).map((s) => [s.department as string, s.email]));
    const receivers = await digestReceivers(this.deps.webhooks);
    const run: DigestRun = { date, sent: [], skipped: [] };
    for (const digest of departments) {
      await this.once(run, `department:${digest.department}`, async () => ({
        email: await this.email(addresses.get(digest.department) ?? null, digest),
        webhooks: await deliverDigest(this.deps.webhooks, receivers, digest),
        items: itemCount(digest),
      }));
    }
    // Owners' digests are e-mail only: without SMTP_URL there is nothing to send them (nor to record).
    if (!this.deps.mailer) return run;
    for (const digest of owners) {
      await this.once(run, `owner:${digest.owner.email}`, async () => ({ email: await this.email(digest.owner.email, digest), items: itemCount(digest) }));
    }
    return run;
  }

  private async once(run: DigestRun, recipient: string, send: () => Promise<Omit<SentDigest, 'recipient'>>): Promise<void> {
    const startedAt = new Date().toISOString();
    if (!(await this.deps.log.claim(run.date, recipient, startedAt))) {
      const record = await this.deps.log.get(run.date, recipient);
      run.skipped.push({
        recipient,
        reason: record?.state === 'sent' ? 'already sent' : 'being sent',
        at: record?.finishedAt ?? record?.startedAt ?? startedAt,
      });
      return;
    }
    const outcome = await send();
    await this.deps.log.finish(run.date, recipient, new Date().toISOString(), outcome);
    run.sent.push({ recipient, ...outcome });
  }

  private async email(to: string | null, digest: DepartmentDigest | OwnerDigest): Promise<SentDigest['email']> {
    if (!this.deps.mailer) return 'no SMTP_URL';
    if (!to) return 'no address';
    try {
      await this.deps.mailer.send({ to, ...digestEmail(digest, this.deps.dashboardUrl) });
      return 'sent';
    } catch (error) {
      // Not retried: the server may have taken it before failing (at most once, see README).
      this.deps.warn(
        `digest e-mail for ${'department' in digest ? digest.department : 'an owner'} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 'failed';
    }
  }
}
