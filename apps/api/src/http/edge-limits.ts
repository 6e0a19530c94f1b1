import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:http';
import { isIP } from 'node:net';

/** What one client may hold of the HTTP server: how long, and how many connections in all. */
export interface EdgeLimits {
  /** The whole request, headers and body, must arrive within this (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** The request line and headers must arrive within this (HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** A kept-alive connection waiting for its next request is closed after this (KEEP_ALIVE_TIMEOUT_MS). */
  keepAliveTimeoutMs: number;
  /** A connection on which no byte moves either way for this long is closed (IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
  /** Open connections at most; further ones are closed on accept (MAX_CONNECTIONS). */
  maxConnections: number;
  /** Whose X-Forwarded-For to believe (TRUST_PROXY): false, true, a hop count or proxy addresses. */
  trustProxy: TrustProxy;
}

export type TrustProxy = boolean | number | string[];

/** Live streams send a heartbeat every 15 s: a shorter idle timeout would cut them. */
const MIN_IDLE_TIMEOUT_MS = 20_000;
/** Fds a process needs besides its connections (store files, worker threads, logs). */
const FD_RESERVE = 128;

export function parseEdgeLimits(env: NodeJS.ProcessEnv): EdgeLimits {
  const requestTimeoutMs = positiveInteger(env, 'REQUEST_TIMEOUT_MS', 15_000);
  const headersTimeoutMs = positiveInteger(env, 'HEADERS_TIMEOUT_MS', Math.min(10_000, requestTimeoutMs));
  if (headersTimeoutMs > requestTimeoutMs) throw new Error('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS (the request includes its headers)');
  const idleTimeoutMs = positiveInteger(env, 'IDLE_TIMEOUT_MS', 60_000);
  if (idleTimeoutMs < MIN_IDLE_TIMEOUT_MS)
    throw new Error(`IDLE_TIMEOUT_MS must be at least ${MIN_IDLE_TIMEOUT_MS} (live streams send a heartbeat every 15 s)`);
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: positiveInteger(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000),
    idleTimeoutMs,
    maxConnections: positiveInteger(env, 'MAX_CONNECTIONS', defaultMaxConnections()),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  };
}

/**
 * Options for Node's HTTP server. Node checks the request and headers timeouts on a timer
 * (30 s by default, so a 10 s limit could hold a socket 40 s); checking every second keeps them tight.
 */
export function httpServerOptions(limits: EdgeLimits): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
  };
}

/** Under the process's open-file limit with room for the stores, so a flood cannot take the last fd. */
export function defaultMaxConnections(limitsFile = '/proc/self/limits'): number {
  try {
    const soft = Number(/^Max open files\s+(\d+)/m.exec(readFileSync(limitsFile, 'utf8'))?.[1]);
    if (Number.isSafeInteger(soft) && soft > 2 * FD_RESERVE) return Math.min(10_000, soft - FD_RESERVE);
  } catch {
    // Not Linux: fall through to a value under the common 1024 limit.
  }
  return 1024 - FD_RESERVE;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset/false (the socket's address is the client's), true (believe every hop),
 * a hop count, or comma-separated proxy addresses/CIDRs (also loopback, linklocal, uniquelocal).
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const spec = (value ?? '').trim();
  if (spec === '' || /^(false|off|no)$/i.test(spec)) return false;
  if (/^(true|on|yes)$/i.test(spec)) return true;
  if (/^\d+$/.test(spec)) return Number(spec) === 0 ? false : Number(spec);
  const entries = spec.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address ?? '') === 6 ? 128 : 32));
    if (!(PROXY_NAMES.has(entry) || (isIP(address ?? '') !== 0 && validBits && extra === undefined))) {
      throw new Error(`TRUST_PROXY must be true, false, a hop count or comma-separated proxy addresses (CIDR allowed), not ${JSON.stringify(value)}`);
    }
  }
  return entries;
}

/**
 * The form Fastify takes. Fastify trusts nothing for a bare number, so a hop count is a function
 * trusting the nearest `hops` addresses (the socket's peer is hop 0), as Express does.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  const hops = trust;
  return (_address, hop) => hop < hops;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return value;
}
