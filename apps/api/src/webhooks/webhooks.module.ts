import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import type { EventStore } from '#event-store';
import { MongoConnection } from '#read-models';
import { APP_CONFIG, redactUrl, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { HttpWebhookSender } from './delivery/http-webhook-sender.js';
import { realTiming } from './delivery/timing.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import type { WebhookOptions } from './delivery/webhook-options.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { MongoWebhookStore } from './storage/mongo-webhook-store.js';
import { SqliteWebhookStore } from './storage/sqlite-webhook-store.js';
import { WEBHOOK_STORE, type WebhookStore } from './storage/webhook-store.port.js';
import { webhookOptions } from './webhooks.config.js';
import { WebhooksService } from './webhooks.service.js';

const logger = new Logger('Webhooks');
const WEBHOOK_OPTIONS = Symbol('WEBHOOK_OPTIONS');

/** Beside the principals: MongoDB when MONGODB_URL is set (its own connection), else DATA_DIR/access.sqlite. */
function createWebhookStore(config: AppConfig): WebhookStore {
  if (config.mongodbUrl) {
    const connection = new MongoConnection({ url: config.mongodbUrl, label: redactUrl(config.mongodbUrl), logger: new Logger('MongoDB webhooks') });
    connection.start();
    return new MongoWebhookStore(connection, { ownsConnection: true });
  }
  return SqliteWebhookStore.open(join(config.dataDir, 'access.sqlite'));
}

/** Starts the deliveries once the app is up; stops them before the stores close (onModuleDestroy runs before any shutdown hook). */
@Injectable()
class WebhooksLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.dispatch) this.dispatcher.start();
    else logger.log('WEBHOOK_DISPATCH is off: this instance manages webhooks but does not deliver');
  }

  onModuleDestroy(): Promise<void> {
    return this.dispatcher.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.stop();
    await this.store.close();
  }
}

@Module({
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_STORE, useFactory: createWebhookStore, inject: [APP_CONFIG] },
    { provide: WEBHOOK_OPTIONS, useFactory: (config: AppConfig) => webhookOptions(config), inject: [APP_CONFIG] },
    {
      provide: WebhookDispatcher,
      useFactory: (options: WebhookOptions, events: EventStore, store: WebhookStore) =>
        new WebhookDispatcher({
          events,
          store,
          sender: new HttpWebhookSender(),
          timing: realTiming,
          options,
          logger: { warn: (message) => logger.warn(message) },
        }),
      inject: [WEBHOOK_OPTIONS, EVENT_STORE, WEBHOOK_STORE],
    },
    WebhooksService,
    WebhooksLifecycle,
  ],
  // The ledger offers its signed heads to the webhooks that ask for LedgerHeadSigned (apps/api/src/ledger/ledger-witnesses.ts).
  exports: [WEBHOOK_STORE],
})
export class WebhooksModule {}
