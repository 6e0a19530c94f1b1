import { LEASES, type LeaseStore } from '#leases';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseContext } from '../infrastructure/projector-thread/leased-rebuild.js';
import { ServiceUnavailable } from './errors.js';

export interface ClaimTiming {
  /** How long a claim lasts unless renewed (it is renewed every third of this while held). */
  ttlMs: number;
  /** How often a request waiting for a key tries again. */
  pollMs: number;
  /** How long a request waits for a key before answering 503. */
  maxWaitMs: number;
}

const DEFAULT_TIMING: ClaimTiming = { ttlMs: 10_000, pollMs: 10, maxWaitMs: 20_000 };

/**
 * One decision at a time per Idempotency-Key, across every process on the store. A key's answer is
 * either the events its command stored or the refusal kept for it, two stores that no single write
 * spans: without a claim, one process could refuse a key on the state it read while another accepts
 * the same key on a newer state, and the two tries would be answered differently. A claim is a
 * lease (the processes' shared lease store) held while the request is decided and its answer kept;
 * a second try waits for it and then finds that answer. A claim whose process died is taken at
 * once on this host's SQLite leases, or when it expires otherwise.
 */
export class IdempotencyClaims {
  constructor(
    private readonly leases: Pick<LeaseContext, 'store' | 'owner'>,
    private readonly timing: ClaimTiming = DEFAULT_TIMING,
  ) {}

  /** Waits until this request holds the key; 503 (retry) if another request keeps it past `maxWaitMs`. */
  async claim(principalId: string, key: string): Promise<KeyClaim> {
    const name = LEASES.idempotencyKey(principalId, key);
    // Per request: two tries of one key in the same process must not share a claim.
    const owner = `${this.leases.owner}:${randomUUID().slice(0, 8)}`;
    const deadline = Date.now() + this.timing.maxWaitMs;
    while (!(await this.acquire(name, owner))) {
      if (Date.now() >= deadline) throw new ServiceUnavailable('another request with this Idempotency-Key is still being decided; retry it');
      await sleep(this.timing.pollMs);
    }
    return new KeyClaim(this.leases.store, name, owner, this.timing.ttlMs);
  }

  private async acquire(name: string, owner: string): Promise<boolean> {
    try {
      return await this.leases.store.acquire(name, owner, this.timing.ttlMs);
    } catch (error) {
      throw new ServiceUnavailable(`Idempotency-Keys cannot be claimed now: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A held key, renewed while its request is decided (a slow one must not lose it to a second try). */
export class KeyClaim {
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly store: LeaseStore,
    private readonly name: string,
    private readonly owner: string,
    ttlMs: number,
  ) {
    this.renewal = setInterval(() => void store.acquire(name, owner, ttlMs).catch(() => undefined), Math.max(1, Math.floor(ttlMs / 3)));
    this.renewal.unref();
  }

  /** Gives the key up; if that fails, the claim expires on its own. */
  async release(): Promise<void> {
    clearInterval(this.renewal);
    await this.store.release(this.name, this.owner).catch(() => undefined);
  }
}
