import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ReadModelStore } from '#read-models';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DepartmentSettingsModule } from '../departments/settings/department-settings.module.js';
import { DEPARTMENT_SETTINGS_STORE, type DepartmentSettingsStore } from '../departments/settings/department-settings-store.js';
import { ACCESS_RECORDS, type AccessRecords } from '../infrastructure/access-records.module.js';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { webhookSender } from '../webhooks/delivery/http-webhook-sender.js';
import type { WebhookOptions } from '../webhooks/delivery/webhook-options.js';
import { WEBHOOK_STORE, type WebhookStore } from '../webhooks/storage/webhook-store.port.js';
import { WebhookSecrets } from '../webhooks/webhook-secrets.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { WEBHOOK_OPTIONS } from '../webhooks/webhooks.tokens.js';
import { SmtpMailer } from './digest-channels.js';
import { DigestRunner } from './digest-runner.js';
import { DigestSchedule } from './digest-schedule.js';
import { DigestsController } from './digests.controller.js';
import { createDigestLog } from './storage/digest-log.js';

const logger = new Logger('Digests');

/** The SMTP transport, when SMTP_URL is set. */
@Injectable()
class MailerHolder {
  readonly mailer: SmtpMailer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.digests.smtpUrl) this.mailer = new SmtpMailer(config.digests.smtpUrl, config.digests.mailFrom);
  }
}

/** Competes for the daily-digest lease once the app is up (unless DIGEST_SCHEDULE=off); gives it up before the stores close. */
@Injectable()
class DigestsLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly schedule: DigestSchedule | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LEASE_CONTEXT) leases: LeaseContext,
    runner: DigestRunner,
    private readonly mailer: MailerHolder,
  ) {
    if (!config.digests.scheduled) return;
    this.schedule = new DigestSchedule({
      config: config.digests,
      leases,
      run: async (now) => {
        const run = await runner.run(now);
        if (run.sent.length > 0) logger.log(`daily digests of ${run.date}: ${run.sent.map((s) => `${s.recipient} (e-mail ${s.email})`).join(', ')}`);
      },
      logger: { log: (message) => logger.log(message), warn: (message) => logger.warn(message) },
    });
  }

  onApplicationBootstrap(): void {
    const { digests } = this.config;
    const at = `${String(digests.time.hour).padStart(2, '0')}:${String(digests.time.minute).padStart(2, '0')} ${digests.timezone}`;
    if (!digests.smtpUrl) logger.warn(`SMTP_URL is not set: daily digests (${at}) go to DepartmentDigest webhooks only, no e-mail is sent`);
    if (this.schedule) this.schedule.start();
    else logger.log('DIGEST_SCHEDULE is off: this instance never runs the daily digests on its own');
  }

  async onModuleDestroy(): Promise<void> {
    await this.schedule?.stop();
    this.mailer.mailer?.close();
  }
}

@Module({
  imports: [WebhooksModule, DepartmentSettingsModule],
  controllers: [DigestsController],
  providers: [
    MailerHolder,
    {
      provide: DigestRunner,
      useFactory: (
        config: AppConfig,
        views: ReadModelStore,
        records: AccessRecords,
        settings: DepartmentSettingsStore,
        mailer: MailerHolder,
        webhooks: WebhookStore,
        options: WebhookOptions,
        secrets: WebhookSecrets,
      ) =>
        new DigestRunner({
          views,
          log: createDigestLog(records),
          settings,
          mailer: mailer.mailer,
          webhooks: { webhooks, secrets, options, sender: webhookSender(options, config.webhookResolver) },
          timezone: config.digests.timezone,
          dashboardUrl: config.publicUrl && `${config.publicUrl}/`,
          warn: (message) => logger.warn(message),
        }),
      inject: [APP_CONFIG, READ_MODEL_STORE, ACCESS_RECORDS, DEPARTMENT_SETTINGS_STORE, MailerHolder, WEBHOOK_STORE, WEBHOOK_OPTIONS, WebhookSecrets],
    },
    DigestsLifecycle,
  ],
})
export class DigestsModule {}
