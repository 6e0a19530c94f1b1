import { LeaseKeeper, type LeaseKeeperLogger } from './lease-keeper.js';
import type { LeaseStore } from './lease-store.port.js';

/** A lease taken for one piece of work (a rebuild), renewed in the background until released. */
export interface HeldLease {
  /** Renews the lease now: false when it has been lost (another process may have taken it). */
  stillHeld(): Promise<boolean>;
  /** Stops renewing and gives the lease up. */
  release(): Promise<void>;
}

/**
 * Takes the lease once: null when another owner holds it; rejects with the store's error when the
 * store cannot be reached (that is "cannot tell", not "someone else has it"). Held, it is renewed
 * every third of the ttl; `onLost` is told if it is lost before `release()` (the work must then
 * stop: another process may start it).
 */
export async function takeLease(options: {
  store: LeaseStore;
  name: string;
  owner: string;
  ttlMs: number;
  onLost?: (reason: string) => void;
  logger?: LeaseKeeperLogger;
}): Promise<HeldLease | null> {
  let releasing = false;
  const keeper = new LeaseKeeper({
    store: options.store,
    name: options.name,
    owner: options.owner,
    ttlMs: options.ttlMs,
    ...(options.logger && { logger: options.logger }),
    onAcquired: async () => undefined,
    onLost: async (reason) => {
      if (!releasing) options.onLost?.(reason);
    },
  });
  await keeper.tick();
  if (!keeper.held) {
    await keeper.stop();
    const unanswered = keeper.storeError;
    if (unanswered) throw unanswered.error;
    return null;
  }
  keeper.start();
  return {
    async stillHeld() {
      await keeper.tick();
      return keeper.held;
    },
    async release() {
      releasing = true;
      await keeper.stop();
    },
  };
}
