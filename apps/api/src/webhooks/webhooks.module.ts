import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import type { EventStore } from '#event-store';
import { MongoConnection } from '#read-models';
import { APP_CONFIG, redactUrl, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { LEASE_CONTEXT } from '../infrastructure/store-tokens.js';
import { LeasedDispatch } from './delivery/leased-dispatch.js';
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

/**
 * Competes for the dispatch lease once the app is up (only its holder delivers); stops delivering
 * and releases it before the stores close (onModuleDestroy runs before any shutdown hook).
 */
@Injectable()
class WebhooksLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    private readonly leased: LeasedDispatch,
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.dispatch) this.leased.start();
    else logger.log('WEBHOOK_DISPATCH is off: this instance manages webhooks but never delivers');
  }

  async onModuleDestroy(): Promise<void> {
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
    {
      provide: LeasedDispatch,
      useFactory: (dispatcher: WebhookDispatcher, leases: LeaseContext) =>
        new LeasedDispatch({ dispatcher, leases, logger: { log: (message) => logger.log(message), warn: (message) => logger.warn(message) } }),
      inject: [WebhookDispatcher, LEASE_CONTEXT],
    },
    WebhooksService,
    WebhooksLifecycle,
  ],
})
export class WebhooksModule {}
