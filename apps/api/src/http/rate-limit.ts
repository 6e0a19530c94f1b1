import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { problem, ProblemException } from './problem.js';

export interface RateLimitConfig {
  /** Requests one principal (one bearer token) may make per window. */
  requests: number;
  windowMs: number;
  /** Requests answered 401 that one client address may cause per window (guessing tokens, broken clients). */
  failedAuthRequests: number;
}

/** Counts hits per key in fixed windows; forgets keys whose window is over. */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startedAt: number; hits: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a hit; the answer says whether it is within the limit and, if not, when to retry. */
  hit(key: string, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    const window = this.current(key, now);
    window.hits += 1;
    return this.verdict(window.hits, window, now);
  }

  /** Whether one more hit would be within the limit, without counting it. */
  check(key: string, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    const window = this.current(key, now);
    return this.verdict(window.hits + 1, window, now);
  }

  private verdict(hits: number, window: { startedAt: number }, now: number) {
    return {
      allowed: hits <= this.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)),
    };
  }

  private current(key: string, now: number): { startedAt: number; hits: number } {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size >= 100_000) this.sweep(now);
      window = { startedAt: now, hits: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    // Still full (a flood of distinct keys): start over rather than grow without bound.
    if (this.windows.size >= 100_000) this.windows.clear();
  }
}

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/** Requests from an address locked out for failed authentication, with the seconds left of its window. */
const lockedOut = new WeakMap<object, number>();

/**
 * Seconds left of the lockout of this request's address, if it is locked out. The auth guard then
 * answers a missing, unknown or revoked token with 429 instead of 401, and lets a valid token pass.
 */
export function authLockoutOf(request: FastifyRequest): number | undefined {
  return lockedOut.get(request.raw);
}

/**
 * Rate limiting before any route runs: per principal (keyed by a hash of its bearer token, which
 * only that principal holds) and per client address for requests without a token. An address
 * that caused too many 401s is marked, not refused: a valid token from it still works (behind a
 * proxy, or on a shared network, the guesser is not the only one there), anything else is 429.
 * Over the limit: 429 with Retry-After.
 */
export function configureRateLimit(fastify: FastifyInstance, config: RateLimitConfig): void {
  const perCaller = new FixedWindowLimiter(config.requests, config.windowMs);
  const failedAuth = new FixedWindowLimiter(config.failedAuthRequests, config.windowMs);

  fastify.addHook('onRequest', async (request) => {
    const auth = failedAuth.check(request.ip);
    if (!auth.allowed) lockedOut.set(request.raw, auth.retryAfterSeconds);
    const verdict = perCaller.hit(callerKey(request));
    if (!verdict.allowed) throw tooMany(verdict.retryAfterSeconds, `more than ${config.requests} requests in ${config.windowMs / 1000} s`);
  });

  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) failedAuth.hit(request.ip);
  });
}

/** The 429 for an address locked out after too many failed authentications. */
export function authLockedOut(retryAfterSeconds: number): ProblemException {
  return tooMany(retryAfterSeconds, 'too many requests with a missing, unknown or revoked token from this address');
}

function callerKey(request: FastifyRequest): string {
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
  return token ? `token:${createHash('sha256').update(token).digest('hex')}` : `address:${request.ip}`;
}

function tooMany(retryAfterSeconds: number, detail: string): ProblemException {
  return new ProblemException(problem(429, `rate limit exceeded: ${detail}; retry after ${retryAfterSeconds} s`), { 'Retry-After': String(retryAfterSeconds) });
}

/** `RATE_LIMIT`: `<requests>` or `<requests>/<seconds>s` per principal (default 3000/10s); `0` turns limiting off. */
export function parseRateLimit(value: string | undefined, failedAuth: string | undefined): RateLimitConfig | undefined {
  const spec = (value ?? '3000/10s').trim();
  if (spec === '0' || spec.toLowerCase() === 'off') return undefined;
  const match = /^(\d+)(?:\s*\/\s*(\d+)\s*s)?$/.exec(spec);
  if (!match || Number(match[1]) < 1) throw new Error(`RATE_LIMIT must look like 600/10s, 600 or 0 (off), not ${JSON.stringify(value)}`);
  const requests = Number(match[1]);
  const windowMs = Number(match[2] ?? 10) * 1000;
  if (windowMs < 1000) throw new Error('RATE_LIMIT: the window must be at least 1 s');
  const failedAuthRequests = Number(failedAuth ?? 1000);
  if (!Number.isSafeInteger(failedAuthRequests) || failedAuthRequests < 1) throw new Error('RATE_LIMIT_FAILED_AUTH must be a positive integer');
  return { requests, windowMs, failedAuthRequests };
}
