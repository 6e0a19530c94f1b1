import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { MongoConnection } from '#mongo';
import { redactUrl } from '#platform';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { openAccessDatabase } from './sqlite-access-store.js';

/**
 * Where records that are not rebuilt from events live besides the principals (calendar feeds,
 * department settings, the digests sent): `DATA_DIR/access.sqlite`, or MongoDB when MONGODB_URL
 * is set (a connection of their own, connected in the background like the webhooks').
 */
export interface AccessRecords {
  sqlite?: Database.Database;
  mongo?: MongoConnection;
  close(): Promise<void>;
}

export const ACCESS_RECORDS = Symbol('ACCESS_RECORDS');

export function openAccessRecords(config: AppConfig): AccessRecords {
  if (config.mongodbUrl) {
    const mongo = new MongoConnection({ url: config.mongodbUrl, label: redactUrl(config.mongodbUrl), logger: new Logger('MongoDB access records') });
    mongo.start();
    return { mongo, close: () => mongo.close() };
  }
  const sqlite = openAccessDatabase(join(config.dataDir, 'access.sqlite'));
  return { sqlite, close: async () => void sqlite.close() };
}

@Injectable()
class AccessRecordsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ACCESS_RECORDS) private readonly records: AccessRecords) {}

  async onApplicationShutdown(): Promise<void> {
    await this.records.close();
  }
}

@Global()
@Module({
  providers: [{ provide: ACCESS_RECORDS, useFactory: openAccessRecords, inject: [APP_CONFIG] }, AccessRecordsLifecycle],
  exports: [ACCESS_RECORDS],
})
export class AccessRecordsModule {}
