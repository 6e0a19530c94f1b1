import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { LedgerStore } from '#ledger';
import { LEASES } from '#leases';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { webhookSender } from '../webhooks/delivery/http-webhook-sender.js';
import { WEBHOOK_STORE, type WebhookStore } from '../webhooks/storage/webhook-store.port.js';
import type { WebhookOptions } from '../webhooks/delivery/webhook-options.js';
import { WebhookSecrets } from '../webhooks/webhook-secrets.js';
import { WEBHOOK_OPTIONS } from '../webhooks/webhooks.tokens.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { LedgerWitnesses } from './ledger-witnesses.js';
import { LEDGER_STORE } from './ledger-tokens.js';

/**
 * Offers signed heads to witnessing webhooks where the ledger is on and this instance may deliver
 * (WEBHOOK_DISPATCH), and only while it holds the `webhook-dispatch` lease. Stops in onModuleDestroy,
 * which Nest runs for this module before the webhooks module's: a head in flight is let finish before
 * the dispatch lease is released, so the instance taking over does not send it again.
 */
@Injectable()
class LedgerWitnessesLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly witnesses: LedgerWitnesses | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEDGER_STORE) ledger: LedgerStore | null,
    @Inject(WEBHOOK_STORE) webhooks: WebhookStore,
    @Inject(WEBHOOK_OPTIONS) options: WebhookOptions,
    @Inject(LEASE_CONTEXT) leases: LeaseContext,
    secrets: WebhookSecrets,
  ) {
    if (!ledger || !options.dispatch) return;
    const logger = new Logger('Ledger');
    const sender = webhookSender(options, config.webhookResolver);
    const delivers = async () => (await leases.store.holder(LEASES.webhookDispatch))?.owner === leases.owner;
    this.witnesses = new LedgerWitnesses({ ledger, webhooks, secrets, sender, options, delivers, log: { warn: (line) => logger.warn(line) } });
  }

  onApplicationBootstrap(): void {
    this.witnesses?.start();
  }

  onModuleDestroy(): Promise<void> | undefined {
    return this.witnesses?.stop();
  }
}

@Module({ imports: [WebhooksModule], providers: [LedgerWitnessesLifecycle] })
export class LedgerWitnessModule {}
