import { basename, dirname, join, resolve } from 'node:path';
import { parseRateLimit, type RateLimitConfig } from '../http/rate-limit.js';
import { parseCorsOrigins } from '../http/security-headers.js';
import { BUILT_IN_TEMPLATES, type TierTemplate } from '#launch';
import { loadTemplatesFile } from './templates-file.js';

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  eventStoreUrl?: string;
  mongodbUrl?: string;
  adminToken?: string;
  bodyLimit: number;
  /** Tier templates: TEMPLATES_FILE when set (validated), else the built-in ones. */
  templates: readonly TierTemplate[];
  /** How long a read with `minPosition` waits for the projections. */
  readYourWritesTimeoutMs: number;
  /** Per-principal rate limit (RATE_LIMIT, default 600/10s); undefined: off (RATE_LIMIT=0). */
  rateLimit?: RateLimitConfig;
  /** Origins allowed to call the API from a browser (CORS_ORIGINS); empty: CORS off. */
  corsOrigins?: readonly string[];
  /**
   * On the embedded stores, run the projections on a worker thread of their own (PROJECTOR_THREAD,
   * default on; `false` or `0` runs them on the API's event loop).
   */
  projectorThread: boolean;
  /** The transparency log (apps/api/src/ledger): LEDGER=off turns it off; LEDGER_KEY_FILE, its Ed25519 key, outside DATA_DIR. */
  ledger: { enabled: boolean; keyFile: string };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

const DEFAULT_BODY_LIMIT = 64 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    eventStoreUrl: env.EVENT_STORE_URL || undefined,
    mongodbUrl: env.MONGODB_URL || undefined,
    adminToken: env.ADMIN_TOKEN || undefined,
    bodyLimit: Number(env.BODY_LIMIT ?? DEFAULT_BODY_LIMIT),
    templates: env.TEMPLATES_FILE ? loadTemplatesFile(resolve(env.TEMPLATES_FILE)) : BUILT_IN_TEMPLATES,
    readYourWritesTimeoutMs: 5000,
    rateLimit: parseRateLimit(env.RATE_LIMIT, env.RATE_LIMIT_FAILED_AUTH),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    projectorThread: parseSwitch(env.PROJECTOR_THREAD, 'PROJECTOR_THREAD', true),
    ledger: {
      enabled: parseSwitch(env.LEDGER, 'LEDGER', true),
      keyFile: env.LEDGER_KEY_FILE ? resolve(env.LEDGER_KEY_FILE) : defaultLedgerKeyFile(resolve(env.DATA_DIR ?? './data')),
    },
    ...overrides,
  };
}

/** Beside DATA_DIR, never in it: `<DATA_DIR>-ledger-key/ledger-ed25519.pem`. */
export const defaultLedgerKeyFile = (dataDir: string): string => join(dirname(dataDir), `${basename(dataDir)}-ledger-key`, 'ledger-ed25519.pem');

function parseSwitch(value: string | undefined, name: string, fallback: boolean): boolean {
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
