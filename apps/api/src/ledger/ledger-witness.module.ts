import { Inject, Injectable, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { LedgerStore } from '#ledger';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HttpWebhookSender } from '../webhooks/delivery/http-webhook-sender.js';
import { WEBHOOK_STORE, type WebhookStore } from '../webhooks/storage/webhook-store.port.js';
import type { WebhookOptions } from '../webhooks/delivery/webhook-options.js';
import { WebhookSecrets } from '../webhooks/webhook-secrets.js';
import { WEBHOOK_OPTIONS } from '../webhooks/webhooks.tokens.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { LedgerWitnesses } from './ledger-witnesses.js';
import { LEDGER_STORE } from './ledger-tokens.js';

/** Offers signed heads to witnessing webhooks, where this instance delivers webhooks (WEBHOOK_DISPATCH) and the ledger is on. */
@Injectable()
class LedgerWitnessesLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly witnesses: LedgerWitnesses | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEDGER_STORE) ledger: LedgerStore | null,
    @Inject(WEBHOOK_STORE) webhooks: WebhookStore,
    @Inject(WEBHOOK_OPTIONS) options: WebhookOptions,
    secrets: WebhookSecrets,
  ) {
    if (!ledger || !options.dispatch) return;
    const logger = new Logger('Ledger');
    // The same address rules as every delivery (WEBHOOK_ALLOW_PRIVATE, resolved-address checks).
    const sender = new HttpWebhookSender({ allowPrivate: options.allowPrivate, resolve: config.webhookResolver });
    this.witnesses = new LedgerWitnesses({ ledger, webhooks, secrets, sender, options, log: { warn: (line) => logger.warn(line) } });
  }

  onApplicationBootstrap(): void {
    this.witnesses?.start();
  }

  beforeApplicationShutdown(): Promise<void> | undefined {
    return this.witnesses?.stop();
  }
}

@Module({ imports: [WebhooksModule], providers: [LedgerWitnessesLifecycle] })
export class LedgerWitnessModule {}
