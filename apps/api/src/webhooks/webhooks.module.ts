import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '#event-store';
import { MongoConnection } from '#mongo';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { redactUrl } from '#platform';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { LeasedDispatch } from './delivery/leased-dispatch.js';
import { webhookSender } from './delivery/http-webhook-sender.js';
import { realTiming } from './delivery/timing.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import type { WebhookOptions } from './delivery/webhook-options.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { MongoWebhookStore } from './storage/mongo-webhook-store.js';
import { SqliteWebhookStore } from './storage/sqlite-webhook-store.js';
import { WEBHOOK_STORE, type WebhookStore } from './storage/webhook-store.port.js';
import { createSecretBox, secretsKeySetting } from '../secrets/secrets.config.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { webhookOptions } from './webhooks.config.js';
import { WebhooksService } from './webhooks.service.js';
import { WEBHOOK_OPTIONS } from './webhooks.tokens.js';

const logger = new Logger('Webhooks');
const secretsLogger = new Logger('Secrets');
const SEAL_RETRY_MS = 5000;

/** Beside the principals: MongoDB when MONGODB_URL is set (its own connection), else DATA_DIR/access.sqlite. */
function createWebhookStore(config: AppConfig): WebhookStore {
  if (config.mongodbUrl) {
    const connection = new MongoConnection({ url: config.mongodbUrl, label: redactUrl(config.mongodbUrl), logger: new Logger('MongoDB webhooks') });
    connection.start();
    return new MongoWebhookStore(connection, { ownsConnection: true });
  }
  return SqliteWebhookStore.open(join(config.dataDir, 'access.sqlite'));
}

/**
 * Seals the secrets an older version stored in clear (before serving on the embedded store; in the
 * background, retried, on MongoDB, which may not answer yet). Competes for the dispatch lease once
 * the app is up (only its holder delivers); stops delivering and releases it before the stores
 * close (onModuleDestroy runs before any shutdown hook).
 */
@Injectable()
class WebhooksLifecycle implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly stopping = new AbortController();
  private sealing: Promise<void> | undefined;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly leased: LeasedDispatch,
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.mongodbUrl) this.sealing = this.sealClearSecretsUntilDone();
    else await this.sealClearSecrets();
  }

  private async sealClearSecrets(): Promise<void> {
    const sealed = await this.secrets.sealClearSecrets(this.store);
    if (sealed > 0) logger.log(`encrypted ${sealed} webhook secret(s) stored in clear by an older version`);
  }

  private async sealClearSecretsUntilDone(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        return await this.sealClearSecrets();
      } catch (error) {
        logger.warn(`cannot seal the webhook secrets stored in clear yet (${error instanceof Error ? error.message : String(error)}); trying again`);
        await sleep(SEAL_RETRY_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  onApplicationBootstrap(): void {
    if (this.options.dispatch) this.leased.start();
    else logger.log('WEBHOOK_DISPATCH is off: this instance manages webhooks but never delivers');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.sealing;
    await this.leased.stop();
    await this.dispatcher.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.onModuleDestroy();
    await this.store.close();
  }
}

@Module({
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_STORE, useFactory: createWebhookStore, inject: [APP_CONFIG] },
    { provide: WEBHOOK_OPTIONS, useFactory: (config: AppConfig) => webhookOptions(config), inject: [APP_CONFIG] },
    {
      provide: WebhookSecrets,
      useFactory: (config: AppConfig) => new WebhookSecrets(createSecretBox(config, secretsKeySetting(config), secretsLogger)),
      inject: [APP_CONFIG],
    },
    {
      provide: WebhookDispatcher,
      useFactory: (options: WebhookOptions, events: EventStore, store: WebhookStore, secrets: WebhookSecrets, config: AppConfig) =>
        new WebhookDispatcher({
          events,
          store,
          sender: webhookSender(options, config.webhookResolver),
          secrets,
          timing: realTiming,
          options,
          logger: { warn: (message) => logger.warn(message) },
        }),
      inject: [WEBHOOK_OPTIONS, EVENT_STORE, WEBHOOK_STORE, WebhookSecrets, APP_CONFIG],
    },
    {
      provide: LeasedDispatch,
      useFactory: (dispatcher: WebhookDispatcher, leases: LeaseContext) =>
        new LeasedDispatch({ dispatcher, leases, logger: { log: (message) => logger.log(message), warn: (message) => logger.warn(message) } }),
      inject: [WebhookDispatcher, LEASE_CONTEXT],
    },
    WebhooksService,
    WebhooksLifecycle,
  ],
  // The ledger offers its signed heads to the webhooks that ask for LedgerHeadSigned (apps/api/src/ledger/ledger-witnesses.ts).
  exports: [WEBHOOK_STORE, WEBHOOK_OPTIONS, WebhookSecrets],
})
export class WebhooksModule {}
