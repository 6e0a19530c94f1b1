import { resolve } from 'node:path';
import { leaseTtlFromEnv } from '#leases';

/** Where the stores are: what the API, the projector process and the CLIs share of the configuration. */
export interface StoreConfig {
  dataDir: string;
  eventStoreUrl?: string;
  mongodbUrl?: string;
  /** How long the singletons' leases last unrenewed (LEASE_TTL_MS). */
  leaseTtlMs: number;
}

/** The store settings from the environment (DATA_DIR, EVENT_STORE_URL, MONGODB_URL, LEASE_TTL_MS). */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  return {
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl: env.EVENT_STORE_URL || undefined,
    mongodbUrl: env.MONGODB_URL || undefined,
    leaseTtlMs: leaseTtlFromEnv(env),
  };
}

/** A URL fit for a log line: the credentials are dropped. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
