import { basename, dirname, join, resolve } from 'node:path';
import { leaseTtlFromEnv } from '#leases';

/** Where the stores are: what the API, the projector process and the CLIs share of the configuration. */
export interface StoreConfig {
  dataDir: string;
  eventStoreUrl?: string;
  mongodbUrl?: string;
  /** How long the singletons' leases last unrenewed (LEASE_TTL_MS). */
  leaseTtlMs: number;
  /** The transparency log: LEDGER=off turns it off; LEDGER_KEY_FILE, its Ed25519 key, outside DATA_DIR. */
  ledger: { enabled: boolean; keyFile: string };
}

/** The store settings from the environment (DATA_DIR, EVENT_STORE_URL, MONGODB_URL, LEASE_TTL_MS). */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  return {
    dataDir,
    eventStoreUrl: env.EVENT_STORE_URL || undefined,
    mongodbUrl: env.MONGODB_URL || undefined,
    leaseTtlMs: leaseTtlFromEnv(env),
    ledger: {
      enabled: parseSwitch(env.LEDGER, 'LEDGER', true),
      keyFile: env.LEDGER_KEY_FILE ? resolve(env.LEDGER_KEY_FILE) : defaultLedgerKeyFile(dataDir),
    },
  };
}

/** Beside DATA_DIR, never in it: `<DATA_DIR>-ledger-key/ledger-ed25519.pem`. */
export const defaultLedgerKeyFile = (dataDir: string): string => join(dirname(dataDir), `${basename(dataDir)}-ledger-key`, 'ledger-ed25519.pem');

/** `true`/`on`/`1`/`yes` or `false`/`off`/`0`/`no`; empty: the fallback. */
export function parseSwitch(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|on|yes)$/i.test(value)) return true;
  if (/^(0|false|off|no)$/i.test(value)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
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
