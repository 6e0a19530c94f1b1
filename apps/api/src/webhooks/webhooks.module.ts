import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import type { EventStore } from '#event-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EVENT_STORE } from '../infrastructure/injection-tokens.js';
import { HttpWebhookSender } from './delivery/http-webhook-sender.js';
import { realTiming } from './delivery/timing.js';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { SqliteWebhookStore } from './storage/sqlite-webhook-store.js';
import { WEBHOOK_STORE, type WebhookStore } from './storage/webhook-store.port.js';
import { webhookOptions } from './webhooks.config.js';
import { WebhooksService } from './webhooks.service.js';

const logger = new Logger('Webhooks');

function createWebhookStore(config: AppConfig): WebhookStore {
  if (config.mongodbUrl) {
    logger.warn('MONGODB_URL is set but webhooks are kept in DATA_DIR/access.sqlite of this instance (no MongoDB webhook store yet)');
  }
  return SqliteWebhookStore.open(join(config.dataDir, 'access.sqlite'));
}

/** Starts the deliveries once the app is up; stops them before the stores close (onModuleDestroy runs before any shutdown hook). */
@Injectable()
class WebhooksLifecycle implements OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  constructor(
    private readonly dispatcher: WebhookDispatcher,
    @Inject(WEBHOOK_STORE) private readonly store: WebhookStore,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.dispatcher.start();
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
    {
      provide: WebhookDispatcher,
      useFactory: (config: AppConfig, events: EventStore, store: WebhookStore) =>
        new WebhookDispatcher({
          events,
          store,
          sender: new HttpWebhookSender(),
          timing: realTiming,
          options: webhookOptions(config),
          logger: { warn: (message) => logger.warn(message) },
        }),
      inject: [APP_CONFIG, EVENT_STORE, WEBHOOK_STORE],
    },
    WebhooksService,
    WebhooksLifecycle,
  ],
})
export class WebhooksModule {}
