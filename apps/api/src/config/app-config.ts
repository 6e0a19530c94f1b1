import { parseEdgeLimits, type EdgeLimits } from '../http/edge-limits.js';
import { resolve } from 'node:path';
import { parseRateLimit, type RateLimitConfig } from '../http/rate-limit.js';
import { parseCorsOrigins } from '../http/security-headers.js';
import { BUILT_IN_TEMPLATES, type TierTemplate } from '#launch';
import { loadStoreConfig, parseSwitch, type StoreConfig } from '#platform';
import { parseOidcConfig, type OidcConfig } from '../oidc/oidc-config.js';
import { loadTemplatesFile } from './templates-file.js';
import { parseDigestConfig, parsePublicUrl, type DigestConfig } from '../digests/digest-config.js';

/** The API's configuration: where the stores are (shared with the projector and the CLIs), and the API's own settings. */
export interface AppConfig extends StoreConfig {
  port: number;
  host: string;
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
  /** Timeouts, connection cap and trusted proxies of the HTTP server (README, Security). */
  edge: EdgeLimits;
  /** Single sign-on with an OpenID Connect provider (OIDC_*); undefined: off (README, Security: Single sign-on). */
  oidc?: OidcConfig;
  /** Daily digests: SMTP_URL, MAIL_FROM, DIGEST_TIME, DIGEST_TIMEZONE, DIGEST_SCHEDULE (README, Calendars and reminders). */
  digests: DigestConfig;
  /** PUBLIC_URL: the API's address as users reach it (calendar feed URLs, links in e-mails); undefined: taken from each request. */
  publicUrl?: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

const DEFAULT_BODY_LIMIT = 64 * 1024;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    ...loadStoreConfig(env),
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    adminToken: env.ADMIN_TOKEN || undefined,
    bodyLimit: Number(env.BODY_LIMIT ?? DEFAULT_BODY_LIMIT),
    templates: env.TEMPLATES_FILE ? loadTemplatesFile(resolve(env.TEMPLATES_FILE)) : BUILT_IN_TEMPLATES,
    readYourWritesTimeoutMs: 5000,
    rateLimit: parseRateLimit(env.RATE_LIMIT, env.RATE_LIMIT_FAILED_AUTH),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    projectorThread: parseSwitch(env.PROJECTOR_THREAD, 'PROJECTOR_THREAD', true),
    edge: parseEdgeLimits(env),
    oidc: parseOidcConfig(env),
    digests: parseDigestConfig(env),
    publicUrl: parsePublicUrl(env.PUBLIC_URL),
    ...overrides,
  };
}
